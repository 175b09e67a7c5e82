package com.gpudash.saga.container;

import java.util.function.Supplier;

import com.gpudash.agent.ContainerRuntimeException;
import com.gpudash.agent.HostKeyMismatchException;
import com.gpudash.agent.HostShellException;
import com.gpudash.agent.HostShellUnavailableException;
import com.gpudash.agent.RouteTableException;
import com.gpudash.agent.RuntimeUnavailableException;
import com.gpudash.api.DomainException;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.RecordStepFailed;
import com.gpudash.api.operation.OperationId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a step's work and sends its answer: the {@code Record…} command the work returns, or {@code RecordStepFailed}
 * with a reason a person understands and whether a later try may help.
 */
final class StepReporter {

    private static final Logger log = LoggerFactory.getLogger(StepReporter.class);

    private final CommandGateway commands;

    StepReporter(CommandGateway commands) {
        this.commands = commands;
    }

    /** @param work returns the answer to send, or null when it sent its answer itself */
    void report(ContainerId containerId, OperationId operationId, ContainerStep step, Supplier<Object> work) {
        Object answer;
        try {
            answer = work.get();
        } catch (StepFailure e) {
            answer = failed(containerId, operationId, step, e.getMessage(), e.retriable());
        } catch (RuntimeUnavailableException e) {
            answer = failed(containerId, operationId, step, "the server's Docker Engine could not be reached: "
                    + e.getMessage(), true);
        } catch (HostShellUnavailableException e) {
            answer = failed(containerId, operationId, step, "the server could not be reached over SSH: "
                    + e.getMessage(), true);
        } catch (HostKeyMismatchException e) {
            answer = failed(containerId, operationId, step, "the server's SSH host key does not match the pinned"
                    + " one: " + e.getMessage(), false);
        } catch (DomainException e) {
            // A server added a moment ago may not be in the servers read model yet; a removed one stays missing
            // until the attempts are used up.
            answer = failed(containerId, operationId, step, e.getMessage(),
                    e.reason() == DomainException.Reason.NOT_FOUND);
        } catch (RouteTableException e) {
            answer = failed(containerId, operationId, step, e.getMessage(), e.retriable());
        } catch (ContainerRuntimeException | HostShellException | IllegalArgumentException e) {
            answer = failed(containerId, operationId, step, e.getMessage(), false);
        } catch (RuntimeException e) {
            log.error("Step {} of container {} failed unexpectedly", step, containerId, e);
            answer = failed(containerId, operationId, step, "unexpected failure: " + e.getClass().getSimpleName(),
                    false);
        }
        if (answer != null) {
            send(answer);
        }
    }

    /** An answer the aggregate refuses is not wanted any more (the saga moved on); it is dropped. */
    boolean send(Object answer) {
        try {
            commands.sendAndWait(answer);
            return true;
        } catch (DomainException refused) {
            log.info("Answer {} not recorded: {}", answer.getClass().getSimpleName(), refused.getMessage());
            return false;
        }
    }

    private static RecordStepFailed failed(ContainerId containerId, OperationId operationId, ContainerStep step,
                                           String reason, boolean retriable) {
        return new RecordStepFailed(containerId, operationId, step, reason, retriable);
    }
}
