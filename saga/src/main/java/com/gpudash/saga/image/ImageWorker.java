package com.gpudash.saga.image;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerRuntimeException;
import com.gpudash.agent.RuntimeConflictException;
import com.gpudash.agent.RuntimeNotFoundException;
import com.gpudash.agent.RuntimeUnavailableException;
import com.gpudash.api.DomainException;
import com.gpudash.api.image.BuildImage;
import com.gpudash.api.image.DeleteImage;
import com.gpudash.api.operation.CompleteOperation;
import com.gpudash.api.operation.FailOperation;
import com.gpudash.api.operation.MarkOperationRunning;
import com.gpudash.api.operation.OperationId;
import com.gpudash.saga.worker.AfterCommit;
import com.gpudash.saga.worker.ServerConnections;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Does the Docker work of image operations on a thread of its own, never inside the unit of work that asked for
 * it (traps 7 and 8), and reports the outcome to the operation in words a person understands.
 */
@Component
class ImageWorker {

    private static final Logger log = LoggerFactory.getLogger(ImageWorker.class);

    private final ContainerRuntime runtime;
    private final ServerConnections servers;
    private final CommandGateway commands;
    private final Executor executor;

    ImageWorker(ContainerRuntime runtime, ServerConnections servers, CommandGateway commands,
                @Qualifier("workerExecutor") Executor executor) {
        this.runtime = runtime;
        this.servers = servers;
        this.commands = commands;
        this.executor = executor;
    }

    @CommandHandler
    void handle(DeleteImage command) {
        AfterCommit.run(executor, () -> report(command.operationId(), () -> {
            try {
                runtime.removeImage(servers.docker(command.serverId()), command.imageId(), command.force());
                return Map.of("imageId", command.imageId(), "removed", true);
            } catch (RuntimeNotFoundException alreadyGone) {
                return Map.of("imageId", command.imageId(), "removed", false);
            } catch (RuntimeConflictException refused) {
                // In use by a container, or tagged in several repositories: Docker's reason says which.
                throw DomainException.conflict("Image " + command.imageId() + " cannot be removed ("
                        + refused.getMessage() + "); delete it with force=true to remove it anyway");
            }
        }));
    }

    @CommandHandler
    void handle(BuildImage command) {
        AfterCommit.run(executor, () -> report(command.operationId(), () -> {
            String imageId = runtime.buildImage(servers.docker(command.serverId()), command.dockerfile(), command.tag());
            return Map.of("imageId", imageId, "tag", command.tag());
        }));
    }

    private void report(OperationId operationId, Supplier<Map<String, Object>> work) {
        try {
            commands.sendAndWait(new MarkOperationRunning(operationId));
            commands.sendAndWait(new CompleteOperation(operationId, work.get()));
        } catch (RuntimeUnavailableException e) {
            fail(operationId, "The server's Docker Engine could not be reached: " + e.getMessage());
        } catch (ContainerRuntimeException | DomainException e) {
            fail(operationId, e.getMessage());
        } catch (RuntimeException e) {
            log.error("Image operation {} failed unexpectedly", operationId, e);
            fail(operationId, "Unexpected failure: " + e.getClass().getSimpleName());
        }
    }

    private void fail(OperationId operationId, String error) {
        try {
            commands.sendAndWait(new FailOperation(operationId, error));
        } catch (RuntimeException e) {
            // The operation already has an outcome (its saga's time limit, say); the later one is dropped.
            log.info("Could not fail operation {}: {}", operationId, e.getMessage());
        }
    }
}
