package com.gpudash.saga.removal;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerRemovalRequested;
import com.gpudash.api.container.step.DeactivateRoute;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import com.gpudash.saga.provisioning.ProvisioningSettings;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.junit.jupiter.api.Test;

/** What the fixture cannot show: db-scheduler refuses to cancel a running deadline (see the provisioning's test). */
class ContainerRemovalSagaOutsideTheFixtureTest {

    private static final ContainerId CONTAINER = ContainerId.forUser(UserId.random());
    private static final OperationId OPERATION = OperationId.random();

    private final CommandGateway commands = mock(CommandGateway.class);
    private final DeadlineManager deadlines = mock(DeadlineManager.class);

    @Test
    void theStepDeadlineHandlerNeverCancelsTheDeadlineItHandles() {
        AtomicInteger scheduled = new AtomicInteger();
        when(deadlines.schedule(any(Duration.class), anyString(), any()))
                .thenAnswer(call -> call.getArgument(1) + "-" + scheduled.incrementAndGet());
        ProvisioningSettings settings = ProvisioningSettings.defaults();
        ContainerRemovalSaga saga = new ContainerRemovalSaga();
        saga.on(new ContainerRemovalRequested(CONTAINER, OPERATION, ServerId.random(), "gpudash-ada", "/ada/"),
                commands, deadlines, settings);

        saga.on(new RemovalStepDue(1), commands, deadlines, settings);

        verify(commands, times(2)).send(new DeactivateRoute(CONTAINER, OPERATION, "/ada/"));
        verify(deadlines, never()).cancelSchedule(anyString(), anyString());
    }
}
