package com.gpudash.saga.lifecycle;

import static com.gpudash.saga.lifecycle.ContainerStartStopSaga.ANSWER_DEADLINE;
import static com.gpudash.saga.lifecycle.ContainerStartStopSaga.ANSWER_TIMEOUT;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerOperationFailed;
import com.gpudash.api.container.ContainerStartRequested;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.ContainerStopRequested;
import com.gpudash.api.container.ContainerStarted;
import com.gpudash.api.container.DockerContainerStopped;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.container.RecordStepFailed;
import com.gpudash.api.container.step.StartDockerContainer;
import com.gpudash.api.container.step.StopDockerContainer;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.Test;

class ContainerStartStopSagaTest {

    private static final ContainerId CONTAINER = ContainerId.forUser(UserId.of("6a1c2f0e-3b4d-4c5e-8f70-9a8b7c6d5e4f"));
    private static final String AGGREGATE = CONTAINER.value();
    private static final OperationId OPERATION = OperationId.of("00000000-0000-4000-8000-000000000002");
    private static final ServerId SERVER = ServerId.of("5e0d6c1a-2b3c-4d5e-8f60-7a8b9c0d1e2f");
    private static final ContainerStartRequested START_REQUESTED =
            new ContainerStartRequested(CONTAINER, OPERATION, SERVER, "gpudash-ada");
    private static final ContainerStopRequested STOP_REQUESTED =
            new ContainerStopRequested(CONTAINER, OPERATION, SERVER, "gpudash-ada");

    /** A fixture keeps its sagas between given-when-then chains, so every chain starts from a new one. */
    private static SagaTestFixture<ContainerStartStopSaga> newFixture() {
        return new SagaTestFixture<>(ContainerStartStopSaga.class);
    }

    @Test
    void aStartIsSentToTheWorkerAndAwaited() {
        newFixture().givenNoPriorActivity()
                .whenAggregate(AGGREGATE).publishes(START_REQUESTED)
                .expectActiveSagas(1)
                .expectAssociationWith("operationId", OPERATION)
                .expectDispatchedCommands(new StartDockerContainer(CONTAINER, OPERATION, SERVER, "gpudash-ada"))
                .expectScheduledDeadline(ANSWER_TIMEOUT, new AnswerDue(ContainerStep.START));
    }

    @Test
    void aStopIsSentToTheWorkerAndAwaited() {
        newFixture().givenNoPriorActivity()
                .whenAggregate(AGGREGATE).publishes(STOP_REQUESTED)
                .expectDispatchedCommands(new StopDockerContainer(CONTAINER, OPERATION, SERVER, "gpudash-ada"))
                .expectScheduledDeadline(ANSWER_TIMEOUT, new AnswerDue(ContainerStep.STOP));
    }

    @Test
    void theAnswerEndsTheSaga() {
        newFixture().givenAggregate(AGGREGATE).published(START_REQUESTED)
                .whenAggregate(AGGREGATE).publishes(new ContainerStarted(CONTAINER, OPERATION, 32768))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands()
                .expectNoScheduledDeadlines();
        newFixture().givenAggregate(AGGREGATE).published(STOP_REQUESTED)
                .whenAggregate(AGGREGATE).publishes(new DockerContainerStopped(CONTAINER, OPERATION))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        newFixture().givenAggregate(AGGREGATE).published(STOP_REQUESTED)
                .whenAggregate(AGGREGATE).publishes(new ContainerOperationFailed(CONTAINER, OPERATION, "reason"))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void anotherOperationsAnswerIsNotItsBusiness() {
        newFixture().givenAggregate(AGGREGATE).published(START_REQUESTED)
                .whenAggregate(AGGREGATE).publishes(new ContainerStarted(CONTAINER, OperationId.random(), 1))
                .expectActiveSagas(1);
    }

    @Test
    void withoutAnAnswerInTimeTheOperationFails() {
        newFixture().givenAggregate(AGGREGATE).published(STOP_REQUESTED)
                .whenTimeElapses(ANSWER_TIMEOUT)
                .expectDispatchedCommands(new RecordStepFailed(CONTAINER, OPERATION, ContainerStep.STOP,
                        "no answer from its server within 60 seconds", false));
    }
}
