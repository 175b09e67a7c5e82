package com.gpudash.saga.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.gpudash.api.DomainException;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.RemoveContainer;
import com.gpudash.api.container.RequestContainer;
import com.gpudash.api.operation.CompleteOperation;
import com.gpudash.api.operation.FailOperation;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.operation.OperationType;
import com.gpudash.api.operation.StartOperation;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserApproved;
import com.gpudash.api.user.UserDeleted;
import com.gpudash.api.user.UserId;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What follows from an approval and a deletion, against container commands scripted to succeed or be refused. */
class UserContainersTest {

    private static final UserId USER = UserId.random();
    private static final UserId ADMIN = UserId.random();
    private static final ContainerId CONTAINER = ContainerId.forUser(USER);
    private static final OperationId OPERATION = OperationId.random();
    private static final ServerId SERVER = ServerId.random();

    private final List<Object> sent = new ArrayList<>();
    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();
    /** What the container answers to its command; null when it accepts it. */
    private RuntimeException containerAnswer;
    private UserContainers handler;

    @BeforeEach
    void setUp() {
        for (Class<?> container : List.of(RequestContainer.class, RemoveContainer.class)) {
            bus.subscribe(container.getName(), message -> {
                sent.add(message.getPayload());
                if (containerAnswer != null) {
                    throw containerAnswer;
                }
                return null;
            });
        }
        for (Class<?> operation : List.of(StartOperation.class, CompleteOperation.class, FailOperation.class)) {
            bus.subscribe(operation.getName(), message -> sent.add(message.getPayload()));
        }
        handler = new UserContainers(DefaultCommandGateway.builder().commandBus(bus).build());
    }

    @Test
    void anApprovalRequestsTheContainerItAskedFor() {
        handler.on(new UserApproved(USER, ADMIN, "ada", OPERATION, SERVER, 2));

        assertThat(sent).containsExactly(new RequestContainer(CONTAINER, USER, "ada", SERVER, 2, OPERATION));
    }

    @Test
    void aRefusedRequestFailsTheProvisioningWithTheRefusal() {
        containerAnswer = DomainException.conflict("Container is REMOVED; a new provisioning requires status FAILED");

        handler.on(new UserApproved(USER, ADMIN, "ada", OPERATION, null, 0));

        assertThat(sent).containsExactly(
                new RequestContainer(CONTAINER, USER, "ada", null, 0, OPERATION),
                new StartOperation(OPERATION, OperationType.PROVISION_CONTAINER, Map.of(
                        "containerId", CONTAINER.value(), "userId", USER.value(), "username", "ada"), USER.value()),
                new FailOperation(OPERATION, "The container could not be requested: Container is REMOVED;"
                        + " a new provisioning requires status FAILED"));
    }

    /** Only a refusal is the container's answer; anything else must roll the approval back with it. */
    @Test
    void aFaultIsNotTakenForARefusal() {
        containerAnswer = new IllegalStateException("the database went away");

        assertThatThrownBy(() -> handler.on(new UserApproved(USER, ADMIN, "ada", OPERATION, null, 0)))
                .hasMessageContaining("the database went away");
        assertThat(sent).containsExactly(new RequestContainer(CONTAINER, USER, "ada", null, 0, OPERATION));
    }

    @Test
    void anApprovalStoredBeforeItCarriedTheRequestAsksForNothing() {
        handler.on(new UserApproved(USER, ADMIN, null, null, null, 0));

        assertThat(sent).isEmpty();
    }

    @Test
    void aDeletionRemovesTheContainer() {
        handler.on(new UserDeleted(USER, OPERATION));

        assertThat(sent).containsExactly(new RemoveContainer(CONTAINER, OPERATION));
    }

    @Test
    void withoutAContainerTheRemovalSucceedsAtOnce() {
        containerAnswer = new AggregateNotFoundException(CONTAINER.value(), "no container");

        handler.on(new UserDeleted(USER, OPERATION));

        assertThat(sent).containsExactly(
                new RemoveContainer(CONTAINER, OPERATION),
                new StartOperation(OPERATION, OperationType.REMOVE_USER, Map.of("userId", USER.value()), null),
                new CompleteOperation(OPERATION, Map.of("containerRemoved", false)));
    }

    @Test
    void aRefusedRemovalFailsTheOperationWithTheRefusal() {
        containerAnswer = DomainException.conflict("Container is PROVISIONING; removal requires status RUNNING");

        handler.on(new UserDeleted(USER, OPERATION));

        assertThat(sent).containsExactly(
                new RemoveContainer(CONTAINER, OPERATION),
                new StartOperation(OPERATION, OperationType.REMOVE_USER, Map.of("userId", USER.value()), null),
                new FailOperation(OPERATION, "The container could not be removed: Container is PROVISIONING;"
                        + " removal requires status RUNNING"));
    }
}
