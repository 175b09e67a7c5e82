package com.gpudash.saga.lifecycle;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerOperationFailed;
import com.gpudash.api.container.ContainerStartRequested;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.ContainerStarted;
import com.gpudash.api.container.ContainerStopRequested;
import com.gpudash.api.container.DockerContainerStopped;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.container.RecordStepFailed;
import com.gpudash.api.container.step.StartDockerContainer;
import com.gpudash.api.container.step.StopDockerContainer;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;

/**
 * Sends a user's start or stop to the worker and makes sure the operation ends. It does not retry: the user sees
 * the failure and may ask again. Without an answer in time it records the failure itself, because the container
 * takes no other operation while one is in progress.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class ContainerStartStopSaga {

    static final String ANSWER_DEADLINE = "container-start-stop-answer";
    /** Docker waits up to its stop timeout (10 s by default) before it kills; this leaves room for a slow server. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private ContainerId containerId;
    private OperationId operationId;
    private String deadlineId;

    @StartSaga
    @SagaEventHandler(associationProperty = "operationId")
    public void on(ContainerStartRequested event, CommandGateway commands, DeadlineManager deadlines) {
        begin(event.containerId(), event.operationId(), ContainerStep.START, deadlines);
        commands.send(new StartDockerContainer(containerId, operationId, event.serverId(), event.containerName()));
    }

    @StartSaga
    @SagaEventHandler(associationProperty = "operationId")
    public void on(ContainerStopRequested event, CommandGateway commands, DeadlineManager deadlines) {
        begin(event.containerId(), event.operationId(), ContainerStep.STOP, deadlines);
        commands.send(new StopDockerContainer(containerId, operationId, event.serverId(), event.containerName()));
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "operationId")
    public void on(ContainerStarted event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "operationId")
    public void on(DockerContainerStopped event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "operationId")
    public void on(ContainerOperationFailed event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    /** The saga ends with the ContainerOperationFailed this brings about. */
    @DeadlineHandler(deadlineName = ANSWER_DEADLINE)
    public void on(AnswerDue due, CommandGateway commands) {
        // Fired: the persistent deadline manager refuses to cancel a task while it runs.
        deadlineId = null;
        commands.send(new RecordStepFailed(containerId, operationId, due.step(),
                "no answer from its server within " + ANSWER_TIMEOUT.toSeconds() + " seconds", false));
    }

    private void begin(ContainerId container, OperationId operation, ContainerStep step, DeadlineManager deadlines) {
        containerId = container;
        operationId = operation;
        deadlineId = deadlines.schedule(ANSWER_TIMEOUT, ANSWER_DEADLINE, new AnswerDue(step));
    }

    private void cancelDeadline(DeadlineManager deadlines) {
        if (deadlineId != null) {
            deadlines.cancelSchedule(ANSWER_DEADLINE, deadlineId);
        }
    }
}
