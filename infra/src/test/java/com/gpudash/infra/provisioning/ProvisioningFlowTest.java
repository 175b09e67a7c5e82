package com.gpudash.infra.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerPlaced;
import com.gpudash.api.container.ContainerProvisioned;
import com.gpudash.api.container.ContainerRequested;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.ContainerStepFailed;
import com.gpudash.api.container.DockerContainerCreated;
import com.gpudash.api.container.DockerContainerRemoved;
import com.gpudash.api.container.DockerContainerStarted;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.container.ProvisioningAbandoned;
import com.gpudash.api.container.ProvisioningFailed;
import com.gpudash.api.container.RecordContainerPlaced;
import com.gpudash.api.container.RecordDockerContainerCreated;
import com.gpudash.api.container.RecordDockerContainerRemoved;
import com.gpudash.api.container.RecordDockerContainerStarted;
import com.gpudash.api.container.RecordRouteActivated;
import com.gpudash.api.container.RecordStepFailed;
import com.gpudash.api.container.RecordWorkspacePrepared;
import com.gpudash.api.container.RequestContainer;
import com.gpudash.api.container.RouteActivated;
import com.gpudash.api.container.WorkspacePrepared;
import com.gpudash.api.container.step.ActivateRoute;
import com.gpudash.api.container.step.CreateDockerContainer;
import com.gpudash.api.container.step.PlaceContainer;
import com.gpudash.api.container.step.PrepareWorkspace;
import com.gpudash.api.container.step.RemoveDockerContainer;
import com.gpudash.api.container.step.StartDockerContainer;
import com.gpudash.api.server.AddServer;
import com.gpudash.api.server.CapacityReservation;
import com.gpudash.api.server.GpuDevice;
import com.gpudash.api.server.GpuInventoryChanged;
import com.gpudash.api.server.RecordGpuInventory;
import com.gpudash.api.server.ReserveServerCapacity;
import com.gpudash.api.server.ServerAdded;
import com.gpudash.api.server.ServerCapacityReleased;
import com.gpudash.api.server.ServerCapacityReserved;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import com.gpudash.testsupport.Eventually;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessageHandler;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The provisioning on the real stores: the JDBC saga store, the db-scheduler deadlines and the aggregates, with
 * workers that answer at once instead of reaching Docker, SSH and nginx. A user named {@code fail-…} gets a
 * container that cannot be created.
 */
// A database of its own: the shared H2 context runs the real workers, and two contexts on one database would both
// pick up these provisionings.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "DATA_DIR=target/test-data/provisioning-flow", "LOG_FILE=target/test-data/provisioning-flow.log",
        "management.server.port=0", "gpudash.security.bcrypt-cost=4"})
@Import(ProvisioningFlowTest.InstantWorkers.class)
class ProvisioningFlowTest {

    @Autowired
    CommandGateway commands;
    @Autowired
    EventStore eventStore;

    @Test
    void anApprovedUserGetsARunningContainer() throws Exception {
        ServerId server = addServerWithTwoGpus();
        ContainerId container = request("ok-" + suffix(), server);

        List<Class<?>> events = awaitEvents(container, ContainerProvisioned.class);

        assertThat(events).containsExactly(ContainerRequested.class, ContainerPlaced.class, WorkspacePrepared.class,
                DockerContainerCreated.class, DockerContainerStarted.class, RouteActivated.class,
                ContainerProvisioned.class);
        assertThat(eventTypes(server.value())).containsExactly(ServerAdded.class, GpuInventoryChanged.class,
                ServerCapacityReserved.class);
    }

    @Test
    void aContainerThatCannotBeCreatedEndsFailedWithItsGpusGivenBack() throws Exception {
        ServerId server = addServerWithTwoGpus();
        ContainerId container = request("fail-" + suffix(), server);

        List<Class<?>> events = awaitEvents(container, ProvisioningFailed.class);

        assertThat(events).containsExactly(ContainerRequested.class, ContainerPlaced.class, WorkspacePrepared.class,
                ContainerStepFailed.class, ProvisioningAbandoned.class, DockerContainerRemoved.class,
                ProvisioningFailed.class);
        ProvisioningFailed failed = (ProvisioningFailed) eventStore.readEvents(container.value()).asStream()
                .reduce((first, second) -> second).orElseThrow().getPayload();
        assertThat(failed.reason()).isEqualTo("Could not create the container: image gpudash:test not found");
        assertThat(awaitEvents(server.value(), ServerCapacityReleased.class)).containsExactly(ServerAdded.class,
                GpuInventoryChanged.class, ServerCapacityReserved.class, ServerCapacityReleased.class);
    }

    private ServerId addServerWithTwoGpus() {
        ServerId server = ServerId.random();
        commands.sendAndWait(new AddServer(server, "gpu-" + suffix(),
                new ServerConnection("10.0.0.5", "tcp://10.0.0.5:2376", 22, "root", null), 4));
        commands.sendAndWait(new RecordGpuInventory(server, List.of(
                new GpuDevice("GPU-" + suffix(), 0, "NVIDIA H100", 85520809984L),
                new GpuDevice("GPU-" + suffix(), 1, "NVIDIA H100", 85520809984L))));
        return server;
    }

    private ContainerId request(String username, ServerId server) {
        UserId user = UserId.random();
        ContainerId container = ContainerId.forUser(user);
        commands.sendAndWait(new RequestContainer(container, user, username, server, 1, OperationId.random()));
        return container;
    }

    private List<Class<?>> awaitEvents(ContainerId container, Class<?> last) {
        return awaitEvents(container.value(), last);
    }

    private List<Class<?>> awaitEvents(String aggregate, Class<?> last) {
        return Eventually.await(() -> last.getSimpleName() + " of " + aggregate + "; its events: "
                + eventTypes(aggregate), Duration.ofSeconds(30), () -> Optional.of(eventTypes(aggregate))
                .filter(events -> events.contains(last)));
    }

    private List<Class<?>> eventTypes(String aggregate) {
        return eventStore.readEvents(aggregate).asStream().map(EventMessage::getPayloadType)
                .<Class<?>>map(type -> type).toList();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Workers as the sagas expect them: the handler returns at once and the answer is sent from another thread,
     * as a real worker answers once Docker, SSH or nginx has.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class InstantWorkers {

        private final CommandGateway commands;

        InstantWorkers(CommandGateway commands) {
            this.commands = commands;
        }

        /**
         * These workers stand in for the application's own, whichever of the two subscribed first. They are told
         * apart by the one command only these handle.
         */
        @Bean
        static DuplicateCommandHandlerResolver insteadOfTheRealWorkers() {
            return (commandName, registered, candidate) -> isInstant(registered) ? registered : candidate;
        }

        private static boolean isInstant(Object handler) {
            return handler instanceof CommandMessageHandler commandHandler
                    && commandHandler.supportedCommandNames().contains(InstantWorkerMark.class.getName());
        }

        record InstantWorkerMark() {
        }

        @CommandHandler
        void handle(InstantWorkerMark mark) {
            // Only marks this class's handlers; never sent.
        }

        @CommandHandler
        void handle(PlaceContainer command) {
            answer(() -> {
                List<String> gpus = commands.<CapacityReservation>sendAndWait(new ReserveServerCapacity(
                        command.requestedServerId(), command.containerId(), command.gpuCount())).gpuUuids();
                return new RecordContainerPlaced(command.containerId(), command.operationId(),
                        command.requestedServerId(), gpus);
            });
        }

        @CommandHandler
        void handle(PrepareWorkspace command) {
            answer(() -> new RecordWorkspacePrepared(command.containerId(), command.operationId()));
        }

        @CommandHandler
        void handle(CreateDockerContainer command) {
            answer(() -> command.username().startsWith("fail-")
                    ? new RecordStepFailed(command.containerId(), command.operationId(), ContainerStep.CREATE,
                            "image gpudash:test not found", false)
                    : new RecordDockerContainerCreated(command.containerId(), command.operationId(),
                            "id-" + command.containerName(), command.containerName(), "gpudash:test", 1.0,
                            1L << 30));
        }

        @CommandHandler
        void handle(StartDockerContainer command) {
            answer(() -> new RecordDockerContainerStarted(command.containerId(), command.operationId(), 32768));
        }

        @CommandHandler
        void handle(ActivateRoute command) {
            answer(() -> new RecordRouteActivated(command.containerId(), command.operationId(), command.routePath(),
                    "http://dashboard.test" + command.routePath()));
        }

        @CommandHandler
        void handle(RemoveDockerContainer command) {
            answer(() -> new RecordDockerContainerRemoved(command.containerId(), command.operationId()));
        }

        private void answer(Supplier<Object> work) {
            CompletableFuture.runAsync(() -> commands.sendAndWait(work.get()));
        }
    }
}
