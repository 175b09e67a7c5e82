package com.gpudash.saga.cleanup;

import java.util.Map;

import com.gpudash.api.cleanup.ServerCleanupCompleted;
import com.gpudash.api.cleanup.ServerCleanupFailed;
import com.gpudash.api.cleanup.ServerCleanupRequested;
import com.gpudash.api.operation.CompleteOperation;
import com.gpudash.api.operation.FailOperation;
import com.gpudash.api.operation.OperationType;
import com.gpudash.api.operation.StartOperation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps the Operation of each server cleanup in step with the Server's cleanup events, as ContainerOperations does
 * for container flows. It runs in the subscribing processor {@value #GROUP}, inside the unit of work that records
 * the server's event, so the operation exists as soon as the request is answered.
 */
@Component
@ProcessingGroup(CleanupOperations.GROUP)
class CleanupOperations {

    static final String GROUP = "cleanup-operations";

    private final CommandGateway commands;

    CleanupOperations(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(ServerCleanupRequested event) {
        commands.sendAndWait(new StartOperation(event.operationId(), OperationType.CLEANUP_SERVER, Map.of(
                "serverId", event.serverId().value(), "dryRun", String.valueOf(event.dryRun()),
                "removeStoppedContainers", String.valueOf(event.stoppedContainers()),
                "removeDanglingImages", String.valueOf(event.danglingImages())), null));
    }

    @EventHandler
    void on(ServerCleanupCompleted event) {
        commands.sendAndWait(new CompleteOperation(event.operationId(), event.asResult()));
    }

    @EventHandler
    void on(ServerCleanupFailed event) {
        commands.sendAndWait(new FailOperation(event.operationId(), event.reason()));
    }
}
