package com.gpudash.saga.cleanup;

import java.util.List;

import com.gpudash.api.cleanup.CleanServer;
import com.gpudash.api.cleanup.FailServerCleanup;
import com.gpudash.api.cleanup.ServerCleanupCompleted;
import com.gpudash.api.cleanup.ServerCleanupFailed;
import com.gpudash.api.cleanup.ServerCleanupRequested;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerCleanupSagaTest {

    private static final OperationId OPERATION = OperationId.random();
    private static final ServerId SERVER = ServerId.random();
    private static final ServerCleanupRequested REQUESTED = new ServerCleanupRequested(SERVER, OPERATION, false, true, true);
    private static final ServerCleanupRequested DRY_RUN = new ServerCleanupRequested(SERVER, OPERATION, true, false, true);

    private SagaTestFixture<ServerCleanupSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(ServerCleanupSaga.class);
    }

    @Test
    void aCleanupIsHandedToTheWorkerWithATimeLimit() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(REQUESTED)
                .expectActiveSagas(1)
                .expectAssociationWith("operationId", OPERATION.value())
                .expectDispatchedCommands(new CleanServer(SERVER, OPERATION, false, true, true))
                .expectScheduledDeadlineWithName(ServerCleanupSaga.CLEANUP_TIME_LIMIT, ServerCleanupSaga.TIME_LIMIT);
    }

    @Test
    void aDryRunIsHandedOnAsADryRun() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(DRY_RUN)
                .expectDispatchedCommands(new CleanServer(SERVER, OPERATION, true, false, true));
    }

    @Test
    void completingTheCleanupEndsTheSagaAndItsTimeLimit() {
        fixture.givenAPublished(REQUESTED)
                .whenPublishingA(new ServerCleanupCompleted(SERVER, OPERATION, false, 1, 0, 512, List.of("c1"), List.of()))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines()
                .expectNoDispatchedCommands();
    }

    @Test
    void aFailedCleanupEndsTheSagaAndItsTimeLimit() {
        fixture.givenAPublished(REQUESTED)
                .whenPublishingA(new ServerCleanupFailed(SERVER, OPERATION, "engine down"))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines()
                .expectNoDispatchedCommands();
    }

    @Test
    void anotherCleanupsOutcomeIsNotThisSagas() {
        OperationId other = OperationId.random();
        fixture.givenAPublished(REQUESTED)
                .whenPublishingA(new ServerCleanupFailed(SERVER, other, "engine down"))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(ServerCleanupSaga.CLEANUP_TIME_LIMIT, ServerCleanupSaga.TIME_LIMIT);
    }

    @Test
    void reachingTheTimeLimitFailsTheCleanup() {
        fixture.givenAPublished(REQUESTED)
                .whenTimeElapses(ServerCleanupSaga.CLEANUP_TIME_LIMIT.plusSeconds(1))
                .expectDeadlinesMet(OPERATION)
                .expectDispatchedCommands(new FailServerCleanup(SERVER, OPERATION,
                        "The cleanup did not finish within 15 minutes; the server may still complete it"))
                .expectActiveSagas(1);
    }
}
