package com.gpudash.saga.container;

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
import com.gpudash.api.user.UserApproved;
import com.gpudash.api.user.UserDeleted;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Component;

/**
 * A user's container follows the user: it is requested when the user is approved and removed when the user is
 * deleted. This runs in the subscribing processor {@value #GROUP}, inside the unit of work that records the
 * approval or deletion, so the endpoint sends one command and its answer already names an operation that can be
 * read, whatever becomes of the container.
 * <p>
 * A container command that is refused does not undo the user's change: the approval or deletion is a decision about
 * the account and stands. The refusal ends the operation FAILED with its reason instead, so nothing is left
 * half-done out of sight (a refused command records no container event, so {@link ContainerOperations} has nothing
 * to mirror and the operation is started and failed here). Only a container command's own refusal is caught; any
 * other failure rolls the user's change back with it.
 */
@Component
@ProcessingGroup(UserContainers.GROUP)
class UserContainers {

    static final String GROUP = "user-containers";

    private final CommandGateway commands;

    UserContainers(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(UserApproved event) {
        if (event.provisioningId() == null) {
            return;
        }
        ContainerId container = ContainerId.forUser(event.userId());
        try {
            commands.sendAndWait(new RequestContainer(container, event.userId(), event.username(),
                    event.requestedServerId(), event.gpuCount(), event.provisioningId()));
        } catch (DomainException refused) {
            commands.sendAndWait(new StartOperation(event.provisioningId(), OperationType.PROVISION_CONTAINER,
                    Map.of("containerId", container.value(), "userId", event.userId().value(),
                            "username", event.username()), event.userId().value()));
            commands.sendAndWait(new FailOperation(event.provisioningId(),
                    "The container could not be requested: " + refused.getMessage()));
        }
    }

    /** Without a container the removal has nothing to do and succeeds at once. */
    @EventHandler
    void on(UserDeleted event) {
        if (event.removalId() == null) {
            return;
        }
        Map<String, String> target = Map.of("userId", event.userId().value());
        try {
            commands.sendAndWait(new RemoveContainer(ContainerId.forUser(event.userId()), event.removalId()));
        } catch (AggregateNotFoundException noContainer) {
            commands.sendAndWait(new StartOperation(event.removalId(), OperationType.REMOVE_USER, target, null));
            commands.sendAndWait(new CompleteOperation(event.removalId(), Map.of("containerRemoved", false)));
        } catch (DomainException refused) {
            commands.sendAndWait(new StartOperation(event.removalId(), OperationType.REMOVE_USER, target, null));
            commands.sendAndWait(new FailOperation(event.removalId(),
                    "The container could not be removed: " + refused.getMessage()));
        }
    }
}
