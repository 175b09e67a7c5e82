package com.gpudash.saga.image;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.gpudash.api.image.BuildImage;
import com.gpudash.api.image.DeleteImage;
import com.gpudash.api.image.ImageBuildRequested;
import com.gpudash.api.image.ImageDeletionRequested;
import com.gpudash.api.operation.FailOperation;
import com.gpudash.api.operation.OperationFailed;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.operation.OperationSucceeded;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;

/**
 * Sees an image deletion or build through: hands it to the image worker and gives it a time limit, so an
 * operation never stays RUNNING forever, not even when the application stopped in the middle (the deadline is
 * persistent). It ends with the operation's outcome.
 * <p>
 * The saga store writes the saga with Jackson between events, and Jackson sees private fields only when told to:
 * without that, {@code what} would be lost and a timed-out operation would fail as "null did not finish in time".
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class ImageOperationSaga {

    static final String TIME_LIMIT = "image-operation-time-limit";
    static final Duration DELETION_TIME_LIMIT = Duration.ofMinutes(2);
    static final Duration BUILD_TIME_LIMIT = Duration.ofMinutes(35);

    private String what;

    @StartSaga
    @SagaEventHandler(associationProperty = "operationId")
    void on(ImageDeletionRequested event, CommandGateway commands, DeadlineManager deadlines) {
        what = "Deleting image " + event.imageId();
        deadlines.schedule(DELETION_TIME_LIMIT, TIME_LIMIT, event.operationId());
        commands.send(new DeleteImage(event.operationId(), event.serverId(), event.imageId(), event.force()));
    }

    @StartSaga
    @SagaEventHandler(associationProperty = "operationId")
    void on(ImageBuildRequested event, CommandGateway commands, DeadlineManager deadlines) {
        what = "Building image " + event.tag();
        deadlines.schedule(BUILD_TIME_LIMIT, TIME_LIMIT, event.operationId());
        commands.send(new BuildImage(event.operationId(), event.serverId(), event.tag(), event.dockerfile()));
    }

    /** The deadline carries the operation as its payload: Axon reads a handler's first parameter as the payload. */
    @DeadlineHandler(deadlineName = TIME_LIMIT)
    void timeLimitReached(OperationId operation, CommandGateway commands) {
        commands.send(new FailOperation(operation, what + " did not finish in time; the server may still complete it"));
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "operationId")
    void on(OperationSucceeded event, DeadlineManager deadlines) {
        deadlines.cancelAllWithinScope(TIME_LIMIT);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "operationId")
    void on(OperationFailed event, DeadlineManager deadlines) {
        deadlines.cancelAllWithinScope(TIME_LIMIT);
    }
}
