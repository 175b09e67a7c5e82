package com.gpudash.saga.cleanup;

import java.util.Set;
import java.util.concurrent.Executor;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerRuntimeException;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.PruneRequest;
import com.gpudash.agent.PruneResult;
import com.gpudash.agent.RuntimeUnavailableException;
import com.gpudash.api.DomainException;
import com.gpudash.api.cleanup.CleanServer;
import com.gpudash.api.cleanup.FailServerCleanup;
import com.gpudash.api.cleanup.RecordServerCleanupResult;
import com.gpudash.api.operation.MarkOperationRunning;
import com.gpudash.saga.container.ContainerLabels;
import com.gpudash.saga.worker.AfterCommit;
import com.gpudash.saga.worker.ServerConnections;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Prunes a server's Docker Engine on a thread of its own, never inside the unit of work that asked for it (traps 7
 * and 8), and reports what went to the Server.
 *
 * <p>Every container the dashboard creates carries the assignment label from the moment it is created, so sparing
 * that label spares the containers of every assignment, whatever their state, even one being provisioned right now
 * and not yet in the read model; the reconciliation, not the cleanup, removes those whose assignment is gone. The
 * engine itself never prunes an image a container uses.
 */
@Component
class CleanupWorker {

    private static final Logger log = LoggerFactory.getLogger(CleanupWorker.class);

    private final ContainerRuntime runtime;
    private final ServerConnections servers;
    private final CleanupSettings settings;
    private final CommandGateway commands;
    private final Executor executor;

    CleanupWorker(ContainerRuntime runtime, ServerConnections servers, CleanupSettings settings,
                  CommandGateway commands, @Qualifier("workerExecutor") Executor executor) {
        this.runtime = runtime;
        this.servers = servers;
        this.settings = settings;
        this.commands = commands;
        this.executor = executor;
    }

    @CommandHandler
    void handle(CleanServer command) {
        AfterCommit.run(executor, () -> clean(command));
    }

    private void clean(CleanServer command) {
        PruneResult result;
        try {
            commands.sendAndWait(new MarkOperationRunning(command.operationId()));
            DockerEndpoint engine = servers.docker(command.serverId());
            PruneRequest request = new PruneRequest(command.stoppedContainers(), command.danglingImages(),
                    settings.onlyLabelled(), Set.of(ContainerLabels.ASSIGNMENT));
            result = command.dryRun() ? runtime.previewPrune(engine, request) : runtime.prune(engine, request);
        } catch (RuntimeUnavailableException e) {
            fail(command, "The server's Docker Engine could not be reached: " + e.getMessage());
            return;
        } catch (ContainerRuntimeException | DomainException e) {
            fail(command, e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.error("Cleanup {} of server {} failed unexpectedly", command.operationId(), command.serverId(), e);
            fail(command, "Unexpected failure: " + e.getClass().getSimpleName());
            return;
        }
        try {
            commands.sendAndWait(new RecordServerCleanupResult(command.serverId(), command.operationId(),
                    command.dryRun(), result.containersRemoved(), result.imagesRemoved(), result.bytesReclaimed()));
        } catch (RuntimeException e) {
            // The cleanup ended without this answer (its time limit, say, or the server was removed).
            log.warn("Cleanup {} of server {} removed {} container(s) and {} image(s), {} bytes, but could not record it: {}",
                    command.operationId(), command.serverId(), result.containersRemoved().size(),
                    result.imagesRemoved().size(), result.bytesReclaimed(), e.getMessage());
        }
    }

    private void fail(CleanServer command, String reason) {
        try {
            commands.sendAndWait(new FailServerCleanup(command.serverId(), command.operationId(), reason));
        } catch (RuntimeException e) {
            // The server was removed meanwhile: its removal ended the cleanup already.
            log.info("Could not fail cleanup {}: {}", command.operationId(), e.getMessage());
        }
    }
}
