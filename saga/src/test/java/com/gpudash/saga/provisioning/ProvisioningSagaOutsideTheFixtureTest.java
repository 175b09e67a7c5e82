package com.gpudash.saga.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.api.container.AbandonProvisioning;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerPlaced;
import com.gpudash.api.container.ContainerRequested;
import com.gpudash.api.container.ProvisioningFailed;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.container.WorkspacePrepared;
import com.gpudash.api.container.step.CreateDockerContainer;
import com.gpudash.api.container.step.PlaceContainer;
import com.gpudash.api.container.step.PrepareWorkspace;
import com.gpudash.api.server.ServerCapacityReserved;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/**
 * What the fixture cannot show. The saga store keeps the saga as JSON (Jackson, like every message here), and a
 * restart continues from what it reads back: a field Jackson cannot see would be lost silently. And a persistent
 * deadline can fire after the saga moved on.
 */
class ProvisioningSagaOutsideTheFixtureTest {

    private static final ContainerId CONTAINER =
            ContainerId.forUser(UserId.of("6a1c2f0e-3b4d-4c5e-8f70-9a8b7c6d5e4f"));
    private static final OperationId OPERATION = OperationId.of("00000000-0000-4000-8000-000000000001");
    private static final ServerId SERVER = ServerId.of("5e0d6c1a-2b3c-4d5e-8f60-7a8b9c0d1e2f");
    private static final List<String> GPUS = List.of("GPU-aaaa", "GPU-bbbb");

    /** Like infra's {@code defaultAxonObjectMapper}, less the time modules this module does not have. */
    private final JacksonSerializer serializer = JacksonSerializer.builder()
            .objectMapper(new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES))
            .build();
    private final CommandGateway commands = mock(CommandGateway.class);
    private final DeadlineManager deadlines = mock(DeadlineManager.class);

    @Test
    void aStoredSagaContinuesWhereItStopped() {
        when(deadlines.schedule(any(Duration.class), anyString(), any())).thenReturn("deadline-id");
        ProvisioningSettings settings = ProvisioningSettings.defaults();
        ProvisioningSaga saga = new ProvisioningSaga();
        saga.on(new ContainerRequested(CONTAINER, UserId.random(), "ada", null, 2, OPERATION), commands, deadlines,
                settings);
        saga.on(new ServerCapacityReserved(SERVER, CONTAINER, GPUS), commands);
        saga.on(new ContainerPlaced(CONTAINER, OPERATION, SERVER, GPUS), commands, deadlines, settings);

        SerializedObject<byte[]> stored = serializer.serialize(saga, byte[].class);
        ProvisioningSaga restored = serializer.deserialize(stored);

        String json = new String(stored.getData(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"phase\":\"PROVISIONING\"", "\"step\":\"WORKSPACE\"",
                "\"reservedOn\":[\"" + SERVER + "\"]", "\"stepDeadlineId\":\"deadline-id\"");
        assertThat(serializer.serialize(restored, byte[].class).getData()).isEqualTo(stored.getData());

        restored.on(new WorkspacePrepared(CONTAINER, OPERATION), commands, deadlines, settings);
        verify(commands).send(new CreateDockerContainer(CONTAINER, OPERATION, SERVER, "ada", "gpudash-ada", GPUS));
    }

    /**
     * db-scheduler may already be running a deadline when the saga cancels it; the saga then sees it after it has
     * moved on. Cancelling cannot stop it, so the saga must recognise it as stale (the test fixture's stub deadline
     * manager always cancels in time, so this is tested here).
     */
    @Test
    void aDeadlineThatFiresAfterTheSagaMovedOnSendsNothing() {
        when(deadlines.schedule(any(Duration.class), anyString(), any())).thenReturn("deadline-id");
        ProvisioningSettings settings = ProvisioningSettings.defaults();
        ProvisioningSaga saga = new ProvisioningSaga();
        saga.on(new ContainerRequested(CONTAINER, UserId.random(), "ada", null, 2, OPERATION), commands, deadlines,
                settings);
        saga.on(new ContainerPlaced(CONTAINER, OPERATION, SERVER, GPUS), commands, deadlines, settings);
        clearInvocations(commands);

        saga.on(new StepDue(1), commands, deadlines, settings);
        verifyNoInteractions(commands);

        saga.on(new StepDue(2), commands, deadlines, settings);
        verify(commands).send(new PrepareWorkspace(CONTAINER, OPERATION, SERVER, "ada"));
    }

    /**
     * db-scheduler refuses to cancel a task while it runs, and the refusal fails the whole unit of work of the
     * handler that asked: the retry or the give-up it was about to send is undone and the provisioning stalls.
     * A deadline handler therefore never cancels the deadline it handles (the fixture's stub allows it).
     */
    @Test
    void aDeadlineHandlerNeverCancelsTheDeadlineItHandles() {
        AtomicInteger scheduled = new AtomicInteger();
        when(deadlines.schedule(any(Duration.class), anyString(), any()))
                .thenAnswer(call -> call.getArgument(1) + "-" + scheduled.incrementAndGet());
        ProvisioningSettings settings = ProvisioningSettings.defaults();
        ProvisioningSaga saga = new ProvisioningSaga();
        saga.on(new ContainerRequested(CONTAINER, UserId.random(), "ada", null, 2, OPERATION), commands, deadlines,
                settings);

        saga.on(new StepDue(1), commands, deadlines, settings);
        verify(commands, times(2)).send(new PlaceContainer(CONTAINER, OPERATION, null, 2));
        // The timeout falls due while the retry's deadline is running too.
        saga.on(new ProvisioningTimeout(120), commands, deadlines, settings);
        verify(commands).send(any(AbandonProvisioning.class));
        saga.on(new StepDue(2), commands, deadlines, settings);
        saga.on(new StepDue(3), commands, deadlines, settings);
        verify(commands, times(2)).send(any(AbandonProvisioning.class));
        saga.on(new ProvisioningTimeout(120), commands, deadlines, settings);
        verify(commands, times(2)).send(any(AbandonProvisioning.class));

        verify(deadlines, never()).cancelSchedule(anyString(), anyString());
        // An event handler does cancel what is left.
        saga.on(new ProvisioningFailed(CONTAINER, OPERATION, "timed out"), deadlines);
        verify(deadlines).cancelSchedule(ProvisioningSaga.STEP_DEADLINE, "provisioning-step-5");
    }
}
