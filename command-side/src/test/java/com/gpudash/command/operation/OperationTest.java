package com.gpudash.command.operation;

import java.util.Map;

import com.gpudash.api.DomainException;
import com.gpudash.api.image.ImageBuildRequested;
import com.gpudash.api.image.ImageDeletionRequested;
import com.gpudash.api.image.RequestImageBuild;
import com.gpudash.api.image.RequestImageDeletion;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import com.gpudash.api.operation.CompleteOperation;
import com.gpudash.api.operation.FailOperation;
import com.gpudash.api.operation.MarkOperationRunning;
import com.gpudash.api.operation.OperationFailed;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.operation.OperationRunning;
import com.gpudash.api.operation.OperationStarted;
import com.gpudash.api.operation.OperationSucceeded;
import com.gpudash.api.operation.OperationType;
import com.gpudash.api.operation.StartOperation;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperationTest {

    private static final OperationId ID = OperationId.random();
    private static final Map<String, String> TARGET = Map.of("serverId", "5a0c4b3e-8d0e-4c4e-9b8e-2f1f0a6c9d11");
    private static final OperationStarted STARTED =
            new OperationStarted(ID, OperationType.DELETE_IMAGE, TARGET, null);

    private AggregateTestFixture<Operation> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Operation.class);
    }

    @Test
    void anOperationStartsPending() {
        fixture.givenNoPriorActivity()
                .when(new StartOperation(ID, OperationType.DELETE_IMAGE, TARGET, null))
                .expectEvents(STARTED);
    }

    /** An endpoint and the flow the operation belongs to may both start it. */
    @Test
    void startingAnOperationAgainRecordsNothing() {
        fixture.given(STARTED)
                .when(new StartOperation(ID, OperationType.DELETE_IMAGE, TARGET, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anImageDeletionIsAnOperationWithItsRequest() {
        ServerId server = ServerId.random();
        fixture.givenNoPriorActivity()
                .when(new RequestImageDeletion(ID, server, "sha256:abc", true))
                .expectEvents(
                        new OperationStarted(ID, OperationType.DELETE_IMAGE,
                                Map.of("serverId", server.value(), "imageId", "sha256:abc", "force", "true"), null),
                        new ImageDeletionRequested(ID, server, "sha256:abc", true));
    }

    @Test
    void anImageBuildIsAnOperationWithItsRequest() {
        ServerId server = ServerId.random();
        UserId qvp = UserId.random();
        fixture.givenNoPriorActivity()
                .when(new RequestImageBuild(ID, server, "lab/tools:1", "FROM busybox\n", qvp))
                .expectEvents(
                        new OperationStarted(ID, OperationType.BUILD_IMAGE, Map.of("serverId", server.value(), "tag", "lab/tools:1"),
                                qvp.value()),
                        new ImageBuildRequested(ID, server, "lab/tools:1", "FROM busybox\n"));
    }

    @Test
    void itRunsOnceAndThenSucceeds() {
        fixture.given(STARTED)
                .when(new MarkOperationRunning(ID))
                .expectEvents(new OperationRunning(ID));
        fixture.given(STARTED, new OperationRunning(ID))
                .when(new MarkOperationRunning(ID))
                .expectNoEvents();
        fixture.given(STARTED, new OperationRunning(ID))
                .when(new CompleteOperation(ID, Map.of("bytesReclaimed", 1024)))
                .expectEvents(new OperationSucceeded(ID, Map.of("bytesReclaimed", 1024)));
    }

    @Test
    void aPendingOperationMaySucceedOrFailDirectly() {
        fixture.given(STARTED)
                .when(new CompleteOperation(ID, Map.of()))
                .expectEvents(new OperationSucceeded(ID, Map.of()));
        fixture.given(STARTED)
                .when(new FailOperation(ID, "image is in use by gpudash-alice"))
                .expectEvents(new OperationFailed(ID, "image is in use by gpudash-alice"));
    }

    @Test
    void repeatingTheOutcomeIsANoOp() {
        fixture.given(STARTED, new OperationSucceeded(ID, Map.of()))
                .when(new CompleteOperation(ID, Map.of("again", true)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(STARTED, new OperationFailed(ID, "docker unreachable"))
                .when(new FailOperation(ID, "docker unreachable"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(STARTED, new OperationSucceeded(ID, Map.of()))
                .when(new MarkOperationRunning(ID))
                .expectNoEvents();
    }

    @Test
    void contradictingAFinishedOutcomeIsRefused() {
        fixture.given(STARTED, new OperationSucceeded(ID, Map.of()))
                .when(new FailOperation(ID, "late failure"))
                .expectException(DomainException.class)
                .expectExceptionMessage("Operation " + ID + " has SUCCEEDED already and cannot fail")
                .expectNoEvents();
        fixture.given(STARTED, new OperationFailed(ID, "docker unreachable"))
                .when(new CompleteOperation(ID, Map.of()))
                .expectException(DomainException.class)
                .expectExceptionMessage("Operation " + ID + " has FAILED already and cannot succeed")
                .expectNoEvents();
    }
}
