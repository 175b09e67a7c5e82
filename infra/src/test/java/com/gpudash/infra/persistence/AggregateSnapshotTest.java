package com.gpudash.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import com.gpudash.api.DomainException;
import com.gpudash.api.cleanup.ServerCleanupRequested;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerPlaced;
import com.gpudash.api.container.ContainerProvisioned;
import com.gpudash.api.container.ContainerRequested;
import com.gpudash.api.container.ContainerStopRequested;
import com.gpudash.api.container.DockerContainerCreated;
import com.gpudash.api.container.DockerContainerStarted;
import com.gpudash.api.container.ProvisioningAbandoned;
import com.gpudash.api.container.RouteActivated;
import com.gpudash.api.container.WorkspacePrepared;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.AddServer;
import com.gpudash.api.server.CapacityReservation;
import com.gpudash.api.server.GpuDevice;
import com.gpudash.api.server.GpuInventoryChanged;
import com.gpudash.api.server.RecordGpuInventory;
import com.gpudash.api.server.RecordServerStatus;
import com.gpudash.api.server.ReserveServerCapacity;
import com.gpudash.api.server.ServerAdded;
import com.gpudash.api.server.ServerCapacityReserved;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.server.ServerStatusChanged;
import com.gpudash.api.user.ApproveUser;
import com.gpudash.api.user.CreateUser;
import com.gpudash.api.user.PasswordHash;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.UpdateUser;
import com.gpudash.api.user.UserCreated;
import com.gpudash.api.user.UserId;
import com.gpudash.api.user.UserProfileUpdated;
import com.gpudash.api.user.UserRoleChanged;
import com.gpudash.command.AggregateStorage;
import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.query.history.AggregateHistory;
import com.gpudash.testsupport.Eventually;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.AbstractEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.stereotype.Aggregate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Snapshots and aggregate caches (AggregateStorageConfiguration) must not change what a command decides.
 * AggregateTestFixture never snapshots or serializes, so this runs the application: a snapshot is the aggregate
 * serialized by the event store's snapshot serializer (Axon's general one), and Jackson silently leaves out what it
 * cannot see or read back.
 */
@H2ApplicationTest
class AggregateSnapshotTest {

    private static final PasswordHash HASH = new PasswordHash("$2a$04$abcdefghijklmnopqrstuuN3bGgKx0BbVn3vB5n6bR3wWpYvQx3yS");
    /** More events than AggregateStorageConfiguration lets pass between two snapshots. */
    private static final int MANY = AggregateStorageConfiguration.EVENTS_BETWEEN_SNAPSHOTS + 10;

    @Autowired
    EventStorageEngine storageEngine;
    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AggregateHistory history;
    @Autowired
    @Qualifier(AggregateStorage.USER_CACHE)
    Cache userCache;
    @Autowired
    @Qualifier(AggregateStorage.SERVER_CACHE)
    Cache serverCache;

    /** Every aggregate whose repository takes snapshots, found by scanning, so a new one is not forgotten. */
    static Stream<Class<?>> snapshotted() {
        List<Class<?>> snapshotted = EveryField.annotatedWith(Aggregate.class).stream()
                .filter(type -> !type.getAnnotation(Aggregate.class).snapshotTriggerDefinition().isEmpty())
                .toList();
        // The scan must see the command side, or this test would pass by testing nothing.
        assertThat(snapshotted).extracting(Class::getSimpleName).contains("User", "Server", "ContainerAssignment");
        return snapshotted.stream();
    }

    /** Every field set, whatever the events allow at once: a field the snapshot leaves out cannot hide. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("snapshotted")
    void keepsEveryFieldThroughTheSnapshotSerializer(Class<?> aggregateType) throws ReflectiveOperationException {
        Object aggregate = EveryField.filled(aggregateType);

        SerializedObject<byte[]> snapshot = snapshotSerializer().serialize(aggregate, byte[].class);

        // Without a @Revision an older snapshot would be read into a changed class (see AggregateStorage).
        assertThat(snapshot.getType().getRevision()).as("the @Revision of %s", aggregateType.getSimpleName())
                .isNotNull();
        EveryField.assertSameFields(aggregate, snapshotSerializer().deserialize(snapshot),
                new String(snapshot.getData(), StandardCharsets.UTF_8));
    }

    @Test
    void aUserReadsBackFromItsSnapshotWithEveryField() {
        UserId user = UserId.random();
        Object replayed = replay("com.gpudash.command.user.User", user.value(),
                new UserCreated(user, "snap-user", "snap@example.org", "Snap Shot", Role.REGULAR),
                new UserProfileUpdated(user, "changed@example.org", "Changed Name"),
                new UserRoleChanged(user, Role.REGULAR, Role.ADMIN));

        assertThat(replayed).hasNoNullFieldsOrProperties();
        assertThat(roundTrip(replayed)).usingRecursiveComparison().isEqualTo(replayed);
    }

    @Test
    void aServerReadsBackFromItsSnapshotWithItsLedger() {
        ServerId server = ServerId.random();
        ContainerId first = ContainerId.forUser(UserId.random());
        ContainerId second = ContainerId.forUser(UserId.random());
        Object replayed = replay("com.gpudash.command.server.Server", server.value(),
                new ServerAdded(server, "gpu-snap", connection(), 4),
                new ServerStatusChanged(server, ServerStatus.UNKNOWN, ServerStatus.ONLINE, null),
                new GpuInventoryChanged(server, List.of(new GpuDevice("GPU-a", 0, "H100", 80L << 30),
                        new GpuDevice("GPU-b", 1, "H100", null), new GpuDevice("GPU-c", 2, "H100", 80L << 30))),
                new ServerCapacityReserved(server, first, List.of("GPU-a")),
                new ServerCapacityReserved(server, second, List.of("GPU-b", "GPU-c")),
                new ServerCleanupRequested(server, OperationId.random(), false, true, true));

        assertThat(replayed).hasNoNullFieldsOrProperties();
        assertThat(roundTrip(replayed)).usingRecursiveComparison().isEqualTo(replayed);
    }

    @Test
    void aContainerAssignmentReadsBackFromItsSnapshotWithEveryField() {
        UserId user = UserId.random();
        ContainerId container = ContainerId.forUser(user);
        ServerId server = ServerId.random();
        OperationId provisioning = OperationId.random();
        Object replayed = replay("com.gpudash.command.container.ContainerAssignment", container.value(),
                new ContainerRequested(container, user, "snapuser", null, 1, provisioning),
                new ContainerPlaced(container, provisioning, server, List.of("GPU-a")),
                new WorkspacePrepared(container, provisioning),
                new DockerContainerCreated(container, provisioning, "d0cker1d", "gpudash-snapuser", "img:1", 1.5, 1L << 30),
                new DockerContainerStarted(container, provisioning, 20022),
                new RouteActivated(container, provisioning, "/snapuser/", "https://lab.example/snapuser/"),
                new ContainerProvisioned(container, provisioning),
                new ContainerStopRequested(container, OperationId.random(), server, "gpudash-snapuser"),
                new ProvisioningAbandoned(container, provisioning, "a late answer"));

        assertThat(replayed).hasNoNullFieldsOrProperties();
        assertThat(replayed).hasFieldOrPropertyWithValue("abandoned", true)
                .hasFieldOrPropertyWithValue("workspacePrepared", true);
        assertThat(roundTrip(replayed)).usingRecursiveComparison().isEqualTo(replayed);
    }

    @Test
    void aCommandOnAUserLoadedFromASnapshotDecidesAsOnTheWholeStream() {
        UserId user = UserId.random();
        String username = "snap-" + UUID.randomUUID().toString().substring(0, 8);
        commands.sendAndWait(new CreateUser(user, username, username + "@example.org", "Name 0", Role.REGULAR, HASH));
        commands.sendAndWait(new UpdateUser(user, null, null, Role.ADMIN, null));
        for (int i = 1; i <= MANY; i++) {
            commands.sendAndWait(new UpdateUser(user, null, "Name " + i, null, null));
        }
        awaitSnapshot(user.value());
        long events = eventCount(user.value());

        userCache.removeAll();
        // Each of these depends on a field of the state: the e-mail and name (nothing changes), the role, the status.
        commands.sendAndWait(new UpdateUser(user, username + "@example.org", "Name " + MANY, null, null));
        commands.sendAndWait(new UpdateUser(user, null, null, Role.ADMIN, null));
        assertThatThrownBy(() -> commands.sendAndWait(new ApproveUser(user, null, OperationId.random(), null, 0)))
                .isInstanceOf(DomainException.class).hasMessageContaining("is ACTIVE");
        assertThat(eventCount(user.value())).isEqualTo(events);

        userCache.removeAll();
        commands.sendAndWait(new UpdateUser(user, null, "After the snapshot", null, null));
        assertThat(eventCount(user.value())).isEqualTo(events + 1);
        assertThat(jdbc.queryForObject("SELECT MAX(sequenceNumber) FROM DomainEventEntry WHERE aggregateIdentifier = ?",
                Long.class, user.value())).isEqualTo(events);
        // The history is every event from the first, never the snapshot.
        List<DomainEventMessage<?>> all = history.events(user.value()).block();
        assertThat(all).hasSize((int) events + 1);
        assertThat(all.get(0).getPayload()).isInstanceOf(com.gpudash.api.user.UserCreated.class);
    }

    @Test
    void aCommandOnAServerLoadedFromASnapshotSeesItsReservations() {
        ServerId server = ServerId.random();
        ContainerId container = ContainerId.forUser(UserId.random());
        commands.sendAndWait(new AddServer(server, "snap-" + UUID.randomUUID().toString().substring(0, 8), connection(), 4));
        commands.sendAndWait(new RecordGpuInventory(server, List.of(new GpuDevice("GPU-0", 0, "H100", 80L << 30),
                new GpuDevice("GPU-1", 1, "H100", 80L << 30))));
        commands.sendAndWait(new RecordServerStatus(server, ServerStatus.ONLINE, null));
        CapacityReservation reserved = commands.sendAndWait(new ReserveServerCapacity(server, container, 1));
        assertThat(reserved.reservedNow()).isTrue();
        for (int i = 0; i < MANY; i++) {
            commands.sendAndWait(new RecordServerStatus(server, i % 2 == 0 ? ServerStatus.OFFLINE : ServerStatus.ONLINE,
                    "snapshot test"));
        }
        awaitSnapshot(server.value());

        serverCache.removeAll();
        // The ledger is a map keyed by container id: the same container gets the same GPU back, reserved before.
        CapacityReservation again = commands.sendAndWait(new ReserveServerCapacity(server, container, 1));
        assertThat(again).isEqualTo(new CapacityReservation(reserved.gpuUuids(), false));
        assertThatThrownBy(() -> commands.sendAndWait(new ReserveServerCapacity(server, container, 2)))
                .isInstanceOf(DomainException.class).hasMessageContaining("holds 1 GPU(s)");
    }

    /** The aggregate as Axon's repository builds it from its events, without any snapshot. */
    @SuppressWarnings("unchecked")
    private static Object replay(String aggregateClass, String id, Object... payloads) {
        Class<Object> type;
        try {
            type = (Class<Object>) Class.forName(aggregateClass);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
        AggregateModel<Object> model = AnnotatedAggregateMetaModelFactory.inspectAggregate(type);
        List<DomainEventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < payloads.length; i++) {
            events.add(new GenericDomainEventMessage<>(type.getSimpleName(), id, i, payloads[i]));
        }
        Object root = new GenericAggregateFactory<>(model).createAggregateRoot(id, events.get(0));
        EventSourcedAggregate<Object> aggregate = EventSourcedAggregate.initialize(root, model, null,
                NoSnapshotTriggerDefinition.TRIGGER);
        aggregate.initializeState(DomainEventStream.of(events));
        return aggregate.getAggregateRoot();
    }

    /** What Axon's snapshotter stores and reads back: the aggregate through the snapshot serializer. */
    private Object roundTrip(Object aggregate) {
        SerializedObject<byte[]> snapshot = snapshotSerializer().serialize(aggregate, byte[].class);
        // The snapshot filter skips snapshots of another revision than the class's @Revision.
        assertThat(snapshot.getType().getRevision())
                .isEqualTo(aggregate.getClass().getAnnotation(Revision.class).value());
        Object read = snapshotSerializer().deserialize(snapshot);
        assertThat(read).isNotSameAs(aggregate).isExactlyInstanceOf(aggregate.getClass());
        return read;
    }

    /** The serializer the event store writes and reads snapshots with. */
    private Serializer snapshotSerializer() {
        return ((AbstractEventStorageEngine) storageEngine).getSnapshotSerializer();
    }

    private void awaitSnapshot(String aggregateId) {
        // The snapshotter runs after the command's commit.
        Eventually.await("a snapshot of " + aggregateId, Duration.ofSeconds(10), () -> Optional.ofNullable(
                jdbc.queryForObject("SELECT COUNT(*) FROM SnapshotEventEntry WHERE aggregateIdentifier = ?", Long.class,
                        aggregateId)).filter(count -> count > 0));
    }

    private long eventCount(String aggregateId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM DomainEventEntry WHERE aggregateIdentifier = ?", Long.class,
                aggregateId);
    }

    private static ServerConnection connection() {
        return new ServerConnection("127.0.0.1", "tcp://127.0.0.1:1", 1, "root", null);
    }
}
