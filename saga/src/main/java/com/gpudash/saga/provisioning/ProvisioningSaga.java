package com.gpudash.saga.provisioning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.gpudash.api.container.AbandonProvisioning;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerNames;
import com.gpudash.api.container.ContainerPlaced;
import com.gpudash.api.container.ContainerProvisioned;
import com.gpudash.api.container.ContainerRequested;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.ContainerStepFailed;
import com.gpudash.api.container.DockerContainerCreated;
import com.gpudash.api.container.DockerContainerRemoved;
import com.gpudash.api.container.DockerContainerStarted;
import com.gpudash.api.container.FailProvisioning;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.container.ProvisioningAbandoned;
import com.gpudash.api.container.ProvisioningFailed;
import com.gpudash.api.container.RouteDeactivated;
import com.gpudash.api.container.WorkspacePrepared;
import com.gpudash.api.container.step.ActivateRoute;
import com.gpudash.api.container.step.CreateDockerContainer;
import com.gpudash.api.container.step.DeactivateRoute;
import com.gpudash.api.container.step.PlaceContainer;
import com.gpudash.api.container.step.PrepareWorkspace;
import com.gpudash.api.container.step.RemoveDockerContainer;
import com.gpudash.api.container.step.StartDockerContainer;
import com.gpudash.api.server.ReleaseServerCapacity;
import com.gpudash.api.server.ServerCapacityReserved;
import com.gpudash.api.server.ServerId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;

/**
 * Takes one container request from approval to a running container behind its route, or to FAILED with
 * everything it set up taken down again (the workspace stays: it may hold the user's files).
 * <p>
 * Every step is a command to a worker; the saga sends it and returns, and the worker's answer comes back as an
 * event of the container (traps 7 and 8). After each dispatch a persistent deadline waits for the answer: when it
 * fires the step is sent again. That one mechanism retries failures (with back-off), survives lost answers and
 * continues after a restart, because the saga and its deadlines are stored and every step is idempotent.
 * <p>
 * Giving up (a permanent failure, the attempts used up, or the provisioning timeout) first asks the aggregate to
 * abandon the provisioning. The aggregate decides the race with a success that may be on its way: if it records
 * the last step first, the provisioning succeeded after all and the saga ends without undoing anything.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class ProvisioningSaga {

    static final String STEP_DEADLINE = "provisioning-step";
    static final String TIMEOUT_DEADLINE = "provisioning-timeout";

    enum Phase {
        /** Steps forward, one at a time. */
        PROVISIONING,
        /** Waiting for the aggregate to record that the provisioning is abandoned. */
        ABANDONING,
        /** Taking down what was set up, in reverse order. */
        COMPENSATING,
        /** Waiting for the aggregate to record the failure. */
        FAILING
    }

    private ContainerId containerId;
    private OperationId operationId;
    private String username;
    private ServerId requestedServerId;
    private int gpuCount;

    private Phase phase;
    /** The step whose answer is awaited; when giving up, the furthest step that may have had an effect. */
    private ContainerStep step;
    private int attempt;
    private String lastError;
    private int ticket;
    private String stepDeadlineId;
    private String timeoutDeadlineId;

    private ServerId serverId;
    private List<String> gpuUuids = List.of();
    private int hostPort;
    /** Servers that reserved capacity for this container; placement may have tried more than one. */
    private final Set<ServerId> reservedOn = new LinkedHashSet<>();

    private String failureReason;
    private final List<ContainerStep> compensationLeft = new ArrayList<>();
    private final List<String> leftBehind = new ArrayList<>();

    @StartSaga
    @SagaEventHandler(associationProperty = "containerId")
    public void on(ContainerRequested event, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        containerId = event.containerId();
        operationId = event.operationId();
        username = event.username();
        requestedServerId = event.requestedServerId();
        gpuCount = event.gpuCount();
        phase = Phase.PROVISIONING;
        timeoutDeadlineId = deadlines.schedule(settings.timeout(), TIMEOUT_DEADLINE,
                new ProvisioningTimeout(settings.timeout().toSeconds()));
        dispatch(ContainerStep.PLACEMENT, 1, commands, deadlines, settings);
    }

    /**
     * A reservation that is not the placement's (a retried placement that chose another server, or one that
     * arrived after the saga gave up) is given back at once; the placement's is kept until the end.
     */
    @SagaEventHandler(associationProperty = "containerId")
    public void on(ServerCapacityReserved event, CommandGateway commands) {
        boolean placedElsewhere = serverId != null && !serverId.equals(event.serverId());
        if (placedElsewhere || phase == Phase.FAILING) {
            commands.send(new ReleaseServerCapacity(event.serverId(), containerId));
        } else {
            reservedOn.add(event.serverId());
        }
    }

    @SagaEventHandler(associationProperty = "containerId")
    public void on(ContainerPlaced event, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        serverId = event.serverId();
        gpuUuids = event.gpuUuids();
        reservedOn.stream().filter(server -> !server.equals(serverId))
                .forEach(server -> commands.send(new ReleaseServerCapacity(server, containerId)));
        reservedOn.retainAll(Set.of(serverId));
        advance(ContainerStep.PLACEMENT, ContainerStep.WORKSPACE, commands, deadlines, settings);
    }

    @SagaEventHandler(associationProperty = "containerId")
    public void on(WorkspacePrepared event, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        advance(ContainerStep.WORKSPACE, ContainerStep.CREATE, commands, deadlines, settings);
    }

    @SagaEventHandler(associationProperty = "containerId")
    public void on(DockerContainerCreated event, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        advance(ContainerStep.CREATE, ContainerStep.START, commands, deadlines, settings);
    }

    @SagaEventHandler(associationProperty = "containerId")
    public void on(DockerContainerStarted event, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        hostPort = event.hostPort();
        advance(ContainerStep.START, ContainerStep.ROUTE, commands, deadlines, settings);
    }

    /** The aggregate records it together with the route, the last step. */
    @EndSaga
    @SagaEventHandler(associationProperty = "containerId")
    public void on(ContainerProvisioned event, DeadlineManager deadlines) {
        cancelDeadlines(deadlines);
    }

    @SagaEventHandler(associationProperty = "containerId")
    public void on(ContainerStepFailed event, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        boolean awaited = event.step() == step && (phase == Phase.PROVISIONING || phase == Phase.COMPENSATING);
        if (!awaited) {
            return;
        }
        lastError = event.reason();
        if (!event.retriable()) {
            giveUpStep("Could not " + step.description() + ": " + lastError, commands, deadlines, settings);
        } else if (attempt >= settings.maxAttempts()) {
            giveUpStep("Could not %s after %d attempts: %s".formatted(step.description(), attempt, lastError),
                    commands, deadlines, settings);
        } else {
            // The deadline that fires after the back-off sends the step again.
            awaitAnswer(settings.retryDelay(containerId, step, attempt), deadlines);
        }
    }

    @DeadlineHandler(deadlineName = STEP_DEADLINE)
    public void on(StepDue due, CommandGateway commands, DeadlineManager deadlines, ProvisioningSettings settings) {
        if (due.ticket() != ticket) {
            return;
        }
        // This deadline has fired: the persistent deadline manager refuses to cancel a task while it runs, and
        // that refusal would fail this handler.
        stepDeadlineId = null;
        switch (phase) {
            case PROVISIONING, COMPENSATING -> {
                if (attempt >= settings.maxAttempts()) {
                    String error = lastError == null ? "no answer" : lastError;
                    giveUpStep("Could not %s after %d attempts: %s".formatted(step.description(), attempt, error),
                            commands, deadlines, settings);
                } else {
                    dispatch(step, attempt + 1, commands, deadlines, settings);
                }
            }
            case ABANDONING -> abandon(commands, deadlines, settings);
            case FAILING -> fail(commands, deadlines, settings);
        }
    }

    @DeadlineHandler(deadlineName = TIMEOUT_DEADLINE)
    public void on(ProvisioningTimeout timeout, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        timeoutDeadlineId = null;
        if (phase != Phase.PROVISIONING) {
            return;
        }
        String lastErrorNote = lastError == null ? "" : " (last error: " + lastError + ")";
        failureReason = "Provisioning did not finish within %d seconds; it was still trying to %s%s"
                .formatted(timeout.seconds(), step.description(), lastErrorNote);
        abandon(commands, deadlines, settings);
    }

    /**
     * Compensation follows the furthest step sent, not the last one answered: a step that was sent may have had
     * its effect even though its answer never came.
     */
    @SagaEventHandler(associationProperty = "containerId")
    public void on(ProvisioningAbandoned event, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        phase = Phase.COMPENSATING;
        if (step.compareTo(ContainerStep.ROUTE) >= 0) {
            compensationLeft.add(ContainerStep.UNROUTE);
        }
        if (step.compareTo(ContainerStep.CREATE) >= 0) {
            compensationLeft.add(ContainerStep.REMOVE);
        }
        compensateNext(commands, deadlines, settings);
    }

    @SagaEventHandler(associationProperty = "containerId")
    public void on(RouteDeactivated event, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        if (phase == Phase.COMPENSATING && step == ContainerStep.UNROUTE) {
            compensateNext(commands, deadlines, settings);
        }
    }

    @SagaEventHandler(associationProperty = "containerId")
    public void on(DockerContainerRemoved event, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningSettings settings) {
        if (phase == Phase.COMPENSATING && step == ContainerStep.REMOVE) {
            compensateNext(commands, deadlines, settings);
        }
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "containerId")
    public void on(ProvisioningFailed event, DeadlineManager deadlines) {
        cancelDeadlines(deadlines);
    }

    private void advance(ContainerStep answered, ContainerStep next, CommandGateway commands,
                         DeadlineManager deadlines, ProvisioningSettings settings) {
        if (phase == Phase.PROVISIONING && step == answered) {
            lastError = null;
            dispatch(next, 1, commands, deadlines, settings);
        }
    }

    private void dispatch(ContainerStep next, int attemptNumber, CommandGateway commands, DeadlineManager deadlines,
                          ProvisioningSettings settings) {
        step = next;
        attempt = attemptNumber;
        commands.send(stepCommand());
        awaitAnswer(settings.answerTimeout(), deadlines);
    }

    private Object stepCommand() {
        String containerName = ContainerNames.dockerContainerName(username);
        return switch (step) {
            case PLACEMENT -> new PlaceContainer(containerId, operationId, requestedServerId, gpuCount);
            case WORKSPACE -> new PrepareWorkspace(containerId, operationId, serverId, username);
            case CREATE -> new CreateDockerContainer(containerId, operationId, serverId, username, containerName,
                    gpuUuids);
            case START -> new StartDockerContainer(containerId, operationId, serverId, containerName);
            case ROUTE -> new ActivateRoute(containerId, operationId, serverId, ContainerNames.routePath(username),
                    hostPort);
            case UNROUTE -> new DeactivateRoute(containerId, operationId, ContainerNames.routePath(username));
            case REMOVE -> new RemoveDockerContainer(containerId, operationId, serverId, containerName);
            case STOP -> throw new IllegalStateException("Provisioning never stops a container");
        };
    }

    private void giveUpStep(String reason, CommandGateway commands, DeadlineManager deadlines,
                            ProvisioningSettings settings) {
        if (phase == Phase.PROVISIONING) {
            failureReason = reason;
            abandon(commands, deadlines, settings);
        } else {
            leftBehind.add(reason);
            compensateNext(commands, deadlines, settings);
        }
    }

    /** Sent again by the step deadline until the aggregate answers, with the abandonment or a success. */
    private void abandon(CommandGateway commands, DeadlineManager deadlines, ProvisioningSettings settings) {
        phase = Phase.ABANDONING;
        if (timeoutDeadlineId != null) {
            deadlines.cancelSchedule(TIMEOUT_DEADLINE, timeoutDeadlineId);
            timeoutDeadlineId = null;
        }
        commands.send(new AbandonProvisioning(containerId, operationId, failureReason));
        awaitAnswer(settings.answerTimeout(), deadlines);
    }

    private void compensateNext(CommandGateway commands, DeadlineManager deadlines, ProvisioningSettings settings) {
        lastError = null;
        if (compensationLeft.isEmpty()) {
            fail(commands, deadlines, settings);
        } else {
            dispatch(compensationLeft.remove(0), 1, commands, deadlines, settings);
        }
    }

    /** The GPUs are given back last, once no container can be using them any more. */
    private void fail(CommandGateway commands, DeadlineManager deadlines, ProvisioningSettings settings) {
        phase = Phase.FAILING;
        reservedOn.forEach(server -> commands.send(new ReleaseServerCapacity(server, containerId)));
        String reason = leftBehind.isEmpty() ? failureReason
                : failureReason + ". Cleaning up failed too: " + String.join("; ", leftBehind);
        commands.send(new FailProvisioning(containerId, operationId, reason));
        awaitAnswer(settings.answerTimeout(), deadlines);
    }

    private void awaitAnswer(Duration within, DeadlineManager deadlines) {
        if (stepDeadlineId != null) {
            deadlines.cancelSchedule(STEP_DEADLINE, stepDeadlineId);
        }
        ticket++;
        stepDeadlineId = deadlines.schedule(within, STEP_DEADLINE, new StepDue(ticket));
    }

    private void cancelDeadlines(DeadlineManager deadlines) {
        if (stepDeadlineId != null) {
            deadlines.cancelSchedule(STEP_DEADLINE, stepDeadlineId);
        }
        if (timeoutDeadlineId != null) {
            deadlines.cancelSchedule(TIMEOUT_DEADLINE, timeoutDeadlineId);
        }
    }
}
