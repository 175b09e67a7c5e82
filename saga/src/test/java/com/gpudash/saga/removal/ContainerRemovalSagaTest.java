package com.gpudash.saga.removal;

import static java.time.Duration.ofSeconds;

import java.time.Duration;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerRemovalFailed;
import com.gpudash.api.container.ContainerRemovalRequested;
import com.gpudash.api.container.ContainerRemoved;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.ContainerStepFailed;
import com.gpudash.api.container.DockerContainerRemoved;
import com.gpudash.api.container.FailRemoval;
import com.gpudash.api.container.RouteDeactivated;
import com.gpudash.api.container.step.DeactivateRoute;
import com.gpudash.api.container.step.RemoveDockerContainer;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ReleaseServerCapacity;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import com.gpudash.saga.provisioning.ProvisioningSettings;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.Test;

class ContainerRemovalSagaTest {

    private static final ContainerId CONTAINER = ContainerId.forUser(UserId.of("6a1c2f0e-3b4d-4c5e-8f70-9a8b7c6d5e4f"));
    private static final String AGGREGATE = CONTAINER.value();
    private static final OperationId OPERATION = OperationId.of("00000000-0000-4000-8000-000000000002");
    private static final ServerId SERVER = ServerId.of("5e0d6c1a-2b3c-4d5e-8f60-7a8b9c0d1e2f");
    private static final String NAME = "gpudash-ada";
    private static final String PATH = "/ada/";
    private static final Duration ANSWER_TIMEOUT = ofSeconds(30);
    private static final ProvisioningSettings SETTINGS =
            new ProvisioningSettings(ofSeconds(120), ANSWER_TIMEOUT, ofSeconds(1), ofSeconds(20), 3);

    private static final ContainerRemovalRequested ROUTED =
            new ContainerRemovalRequested(CONTAINER, OPERATION, SERVER, NAME, PATH);
    private static final DeactivateRoute UNROUTE = new DeactivateRoute(CONTAINER, OPERATION, PATH);
    private static final RemoveDockerContainer REMOVE = new RemoveDockerContainer(CONTAINER, OPERATION, SERVER, NAME);

    private static SagaTestFixture<ContainerRemovalSaga> newFixture() {
        SagaTestFixture<ContainerRemovalSaga> fixture = new SagaTestFixture<>(ContainerRemovalSaga.class);
        fixture.registerResource(SETTINGS);
        return fixture;
    }

    @Test
    void theRouteGoesFirstThenTheContainerThenTheGpus() {
        newFixture().givenNoPriorActivity()
                .whenAggregate(AGGREGATE).publishes(ROUTED)
                .expectDispatchedCommands(UNROUTE)
                .expectScheduledDeadlineWithName(ANSWER_TIMEOUT, ContainerRemovalSaga.STEP_DEADLINE);
        newFixture().givenAggregate(AGGREGATE).published(ROUTED)
                .whenAggregate(AGGREGATE).publishes(new RouteDeactivated(CONTAINER, OPERATION, PATH))
                .expectDispatchedCommands(REMOVE);
        newFixture().givenAggregate(AGGREGATE).published(ROUTED, new RouteDeactivated(CONTAINER, OPERATION, PATH),
                        new DockerContainerRemoved(CONTAINER, OPERATION, NAME))
                .whenAggregate(AGGREGATE).publishes(new ContainerRemoved(CONTAINER, OPERATION, SERVER))
                .expectDispatchedCommands(new ReleaseServerCapacity(SERVER, CONTAINER))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aContainerWithoutARouteIsRemovedAtOnce() {
        newFixture().givenNoPriorActivity()
                .whenAggregate(AGGREGATE).publishes(new ContainerRemovalRequested(CONTAINER, OPERATION, SERVER, NAME,
                        null))
                .expectDispatchedCommands(REMOVE);
    }

    @Test
    void aStepThatFailsForNowIsSentAgainAfterTheBackOff() {
        Duration backOff = SETTINGS.retryDelay(CONTAINER, ContainerStep.UNROUTE, 1);
        newFixture().givenAggregate(AGGREGATE).published(ROUTED,
                        new ContainerStepFailed(CONTAINER, OPERATION, ContainerStep.UNROUTE, "nginx -s reload failed",
                                true))
                .whenTimeElapses(backOff)
                .expectDispatchedCommands(UNROUTE);
    }

    @Test
    void anUnansweredStepIsSentAgain() {
        newFixture().givenAggregate(AGGREGATE).published(ROUTED)
                .whenTimeElapses(ANSWER_TIMEOUT)
                .expectDispatchedCommands(UNROUTE);
    }

    @Test
    void aStepThatCannotBeDoneFailsTheRemovalWithItsReason() {
        newFixture().givenAggregate(AGGREGATE).published(ROUTED, new RouteDeactivated(CONTAINER, OPERATION, PATH))
                .whenAggregate(AGGREGATE).publishes(new ContainerStepFailed(CONTAINER, OPERATION,
                        ContainerStep.REMOVE, "permission denied", false))
                .expectDispatchedCommands(new FailRemoval(CONTAINER, OPERATION, "Could not remove the container:"
                        + " permission denied. Container gpudash-ada may still be on server " + SERVER
                        + " and keeps its GPUs until a removal succeeds"));
        newFixture().givenAggregate(AGGREGATE).published(ROUTED,
                        new ContainerRemovalFailed(CONTAINER, OPERATION, "Could not remove the container"))
                .whenTimeElapses(ANSWER_TIMEOUT)
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
    }

    @Test
    void theAttemptsUsedUpFailTheRemoval() throws Exception {
        newFixture().givenAggregate(AGGREGATE).published(ROUTED)
                .andThenTimeElapses(ANSWER_TIMEOUT)
                .andThenTimeElapses(ANSWER_TIMEOUT)
                .whenTimeElapses(ANSWER_TIMEOUT)
                .expectDispatchedCommands(new FailRemoval(CONTAINER, OPERATION, "Could not remove the web route after"
                        + " 3 attempts: no answer. Container gpudash-ada may still be on server " + SERVER
                        + " and keeps its GPUs until a removal succeeds"));
    }
}
