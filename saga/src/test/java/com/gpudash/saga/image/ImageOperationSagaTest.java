package com.gpudash.saga.image;

import java.util.Map;

import com.gpudash.api.image.BuildImage;
import com.gpudash.api.image.DeleteImage;
import com.gpudash.api.image.ImageBuildRequested;
import com.gpudash.api.image.ImageDeletionRequested;
import com.gpudash.api.operation.FailOperation;
import com.gpudash.api.operation.OperationFailed;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.operation.OperationSucceeded;
import com.gpudash.api.server.ServerId;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImageOperationSagaTest {

    private static final OperationId OPERATION = OperationId.random();
    private static final ServerId SERVER = ServerId.random();
    private static final ImageDeletionRequested DELETION = new ImageDeletionRequested(OPERATION, SERVER, "sha256:abc", false);
    private static final ImageBuildRequested BUILD = new ImageBuildRequested(OPERATION, SERVER, "lab/tools:1", "FROM busybox\n");

    private SagaTestFixture<ImageOperationSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(ImageOperationSaga.class);
    }

    @Test
    void aDeletionIsHandedToTheWorkerWithATimeLimit() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(DELETION)
                .expectActiveSagas(1)
                .expectDispatchedCommands(new DeleteImage(OPERATION, SERVER, "sha256:abc", false))
                .expectScheduledDeadlineWithName(ImageOperationSaga.DELETION_TIME_LIMIT, ImageOperationSaga.TIME_LIMIT);
    }

    @Test
    void aBuildIsHandedToTheWorkerWithALongerTimeLimit() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(BUILD)
                .expectActiveSagas(1)
                .expectDispatchedCommands(new BuildImage(OPERATION, SERVER, "lab/tools:1", "FROM busybox\n"))
                .expectScheduledDeadlineWithName(ImageOperationSaga.BUILD_TIME_LIMIT, ImageOperationSaga.TIME_LIMIT);
    }

    @Test
    void anOutcomeEndsTheSagaAndItsTimeLimit() {
        fixture.givenAPublished(DELETION)
                .whenPublishingA(new OperationSucceeded(OPERATION, Map.of("removed", true)))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines()
                .expectNoDispatchedCommands();
        fixture.givenAPublished(BUILD)
                .whenPublishingA(new OperationFailed(OPERATION, "Dockerfile parse error"))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void anotherOperationsOutcomeIsNotThisSagas() {
        fixture.givenAPublished(DELETION)
                .whenPublishingA(new OperationSucceeded(OperationId.random(), Map.of()))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(ImageOperationSaga.DELETION_TIME_LIMIT, ImageOperationSaga.TIME_LIMIT);
    }

    @Test
    void reachingTheTimeLimitFailsTheOperation() {
        fixture.givenAPublished(DELETION)
                .whenTimeElapses(ImageOperationSaga.DELETION_TIME_LIMIT.plusSeconds(1))
                .expectDispatchedCommands(new FailOperation(OPERATION,
                        "Deleting image sha256:abc did not finish in time; the server may still complete it"));
    }
}
