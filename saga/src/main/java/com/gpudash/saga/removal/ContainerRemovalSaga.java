package com.gpudash.saga.removal;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerRemovalFailed;
import com.gpudash.api.container.ContainerRemovalRequested;
import com.gpudash.api.container.ContainerRemoved;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.ContainerStepFailed;
import com.gpudash.api.container.FailRemoval;
import com.gpudash.api.container.RouteDeactivated;
import com.gpudash.api.container.step.DeactivateRoute;
import com.gpudash.api.container.step.RemoveDockerContainer;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ReleaseServerCapacity;
import com.gpudash.api.server.ServerId;
import com.gpudash.saga.provisioning.ProvisioningSettings;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;

/**
 * Takes a user's container down: the route first (nobody reaches a container that is going), then the container,
 * then its GPUs are given back. The workspace stays. Steps are retried like a provisioning's (back-off with jitter,
 * persistent deadlines); a step that cannot be done ends the removal FAILED with the reason, the GPUs still
 * reserved because the container may still be using them, and an admin may ask for the removal again.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class ContainerRemovalSaga {

    static final String STEP_DEADLINE = "removal-step";

    private ContainerId containerId;
    private OperationId operationId;
    private ServerId serverId;
    private String containerName;
    private String routePath;
    /** The step whose answer is awaited; null once the removal is being failed. */
    private ContainerStep step;
    private int attempt;
    private String lastError;
    private String failureReason;
    private int ticket;
    private String deadlineId;

    @StartSaga
    @SagaEventHandler(associationProperty = "operationId")
    public void on(ContainerRemovalRequested event, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        containerId = event.containerId();
        operationId = event.operationId();
        serverId = event.serverId();
        containerName = event.containerName();
        routePath = event.routePath();
        dispatch(routePath != null ? ContainerStep.UNROUTE : ContainerStep.REMOVE, 1, commands, deadlines, settings);
    }

    @SagaEventHandler(associationProperty = "operationId")
    public void on(RouteDeactivated event, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        if (step == ContainerStep.UNROUTE) {
            dispatch(ContainerStep.REMOVE, 1, commands, deadlines, settings);
        }
    }

    /** The aggregate records it together with the container's removal, the last step. */
    @EndSaga
    @SagaEventHandler(associationProperty = "operationId")
    public void on(ContainerRemoved event, CommandGateway commands, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
        if (event.serverId() != null) {
            commands.send(new ReleaseServerCapacity(event.serverId(), containerId));
        }
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "operationId")
    public void on(ContainerRemovalFailed event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @SagaEventHandler(associationProperty = "operationId")
    public void on(ContainerStepFailed event, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        if (event.step() != step) {
            return;
        }
        lastError = event.reason();
        if (!event.retriable()) {
            fail("Could not " + step.description() + ": " + lastError, commands, deadlines, settings);
        } else if (attempt >= settings.maxAttempts()) {
            fail("Could not %s after %d attempts: %s".formatted(step.description(), attempt, lastError),
                    commands, deadlines, settings);
        } else {
            // The deadline that fires after the back-off sends the step again.
            awaitAnswer(settings.retryDelay(containerId, step, attempt), deadlines);
        }
    }

    @DeadlineHandler(deadlineName = STEP_DEADLINE)
    public void on(RemovalStepDue due, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        if (due.ticket() != ticket) {
            return;
        }
        // Fired: the persistent deadline manager refuses to cancel a task while it runs.
        deadlineId = null;
        if (step == null) {
            fail(failureReason, commands, deadlines, settings);
        } else if (attempt >= settings.maxAttempts()) {
            String error = lastError == null ? "no answer" : lastError;
            fail("Could not %s after %d attempts: %s".formatted(step.description(), attempt, error),
                    commands, deadlines, settings);
        } else {
            dispatch(step, attempt + 1, commands, deadlines, settings);
        }
    }

    private void dispatch(ContainerStep next, int attemptNumber, CommandGateway commands, DeadlineManager deadlines,
                          ProvisioningSettings settings) {
        step = next;
        attempt = attemptNumber;
        lastError = null;
        commands.send(step == ContainerStep.UNROUTE
                ? new DeactivateRoute(containerId, operationId, routePath)
                : new RemoveDockerContainer(containerId, operationId, serverId, containerName));
        awaitAnswer(settings.answerTimeout(), deadlines);
    }

    /** Sent again by the deadline until the aggregate records it. */
    private void fail(String reason, CommandGateway commands, DeadlineManager deadlines,
                      ProvisioningSettings settings) {
        step = null;
        failureReason = reason;
        commands.send(new FailRemoval(containerId, operationId, reason + leftBehind()));
        awaitAnswer(settings.answerTimeout(), deadlines);
    }

    private String leftBehind() {
        return ". Container " + containerName + " may still be on server " + serverId
                + " and keeps its GPUs until a removal succeeds";
    }

    private void awaitAnswer(Duration within, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
        ticket++;
        deadlineId = deadlines.schedule(within, STEP_DEADLINE, new RemovalStepDue(ticket));
    }

    private void cancelDeadline(DeadlineManager deadlines) {
        if (deadlineId != null) {
            deadlines.cancelSchedule(STEP_DEADLINE, deadlineId);
        }
    }
}
