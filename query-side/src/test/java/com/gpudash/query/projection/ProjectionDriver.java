package com.gpudash.query.projection;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;

/**
 * Hands events to a projection as its tracking processor does: through Axon's annotated-handler adapter (so
 * {@code @Timestamp} and {@code EventMessage} parameters are resolved as in the application), all of them in one
 * batching unit of work, whose commit is when {@link ProjectionWrites} sends what the handlers wrote.
 */
public final class ProjectionDriver {

    private final AnnotationEventHandlerAdapter handlers;

    public ProjectionDriver(Object projection) {
        this.handlers = new AnnotationEventHandlerAdapter(projection);
    }

    /** Handles {@code events} in one batch of events; a failure of a handler or of the batch's writes is thrown. */
    public void handle(EventMessage<?>... events) {
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(List.of(events));
        batch.executeWithResult(() -> handlers.handle(batch.getMessage()));
        if (batch.getExecutionResult().isExceptionResult()) {
            Throwable failure = batch.getExecutionResult().getExceptionResult();
            throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
        }
    }

    /** Handles events stored at {@code at}, each without metadata, in one batch of events. */
    public void handleAt(Instant at, Object... payloads) {
        handle(Arrays.stream(payloads).map(payload -> event(payload, at)).toArray(EventMessage<?>[]::new));
    }

    /** What a processor does before it replays the events from the start. */
    public void reset() {
        handlers.prepareReset();
    }

    public static EventMessage<?> event(Object payload, Instant at) {
        return new GenericEventMessage<>(UUID.randomUUID().toString(), payload, Map.of(), at);
    }
}
