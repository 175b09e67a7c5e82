package com.gpudash.saga.cleanup;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.gpudash.api.cleanup.CleanServer;
import com.gpudash.api.cleanup.FailServerCleanup;
import com.gpudash.api.cleanup.ServerCleanupCompleted;
import com.gpudash.api.cleanup.ServerCleanupFailed;
import com.gpudash.api.cleanup.ServerCleanupRequested;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;

/**
 * Sees a server cleanup through: hands it to the cleanup worker and gives it a time limit, because the server takes
 * no other cleanup while one is in progress; without an answer in time it fails the cleanup itself (the deadline is
 * persistent, so a restart in the middle changes nothing). It ends with the cleanup's outcome.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class ServerCleanupSaga {

    static final String TIME_LIMIT = "server-cleanup-time-limit";
    /** A prune of an engine with many images can take minutes; longer than that, something is stuck. */
    static final Duration CLEANUP_TIME_LIMIT = Duration.ofMinutes(15);

    private ServerId serverId;
    private OperationId operationId;

    @StartSaga
    @SagaEventHandler(associationProperty = "operationId")
    public void on(ServerCleanupRequested event, CommandGateway commands, DeadlineManager deadlines) {
        serverId = event.serverId();
        operationId = event.operationId();
        deadlines.schedule(CLEANUP_TIME_LIMIT, TIME_LIMIT, operationId);
        commands.send(new CleanServer(serverId, operationId, event.dryRun(), event.stoppedContainers(),
                event.danglingImages()));
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "operationId")
    public void on(ServerCleanupCompleted event, DeadlineManager deadlines) {
        deadlines.cancelAllWithinScope(TIME_LIMIT);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "operationId")
    public void on(ServerCleanupFailed event, DeadlineManager deadlines) {
        deadlines.cancelAllWithinScope(TIME_LIMIT);
    }

    /**
     * The saga ends with the ServerCleanupFailed this brings about. The deadline carries the operation as its
     * payload: Axon reads a handler's first parameter as the payload.
     */
    @DeadlineHandler(deadlineName = TIME_LIMIT)
    public void timeLimitReached(OperationId operation, CommandGateway commands) {
        commands.send(new FailServerCleanup(serverId, operationId, "The cleanup did not finish within "
                + CLEANUP_TIME_LIMIT.toMinutes() + " minutes; the server may still complete it"));
    }
}
