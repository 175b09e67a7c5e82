package com.gpudash.query.server;

import static com.gpudash.api.QueryAnswers.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.gpudash.api.DomainException;
import com.gpudash.api.server.FetchAnyServerEverAdded;
import com.gpudash.api.server.FetchRegisteredServer;
import com.gpudash.api.server.FetchRegisteredServers;
import com.gpudash.api.server.RegisteredServer;
import com.gpudash.api.server.FetchServerRooms;
import com.gpudash.api.server.ServerAdded;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRemoved;
import com.gpudash.api.server.ServerRoom;
import com.gpudash.api.server.ServerStatsView;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.query.ReadModelSchema;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The servers' questions, asked as the workers, the poller and startup ask them, of rows in the real tables. */
class ServerQueriesTest {

    private static final long GIB = 1L << 30;

    private final JdbcTemplate jdbc = ReadModelSchema.h2With("V1__axon_store.sql", "V10__servers.sql",
            "V20__containers.sql");
    private final ServerId alpha = ServerId.random();
    private final ServerId beta = ServerId.random();
    private final Map<ServerId, ServerStatsView> telemetry = Map.of(alpha, stats(alpha, 64 * GIB, 24 * GIB));
    private final QueryGateway queries = gatewayTo(new ServerQueries(jdbc,
            serverId -> Optional.ofNullable(telemetry.get(serverId))));

    @Test
    void aServerIsReachedAsItsRegistrationSays() {
        server(alpha, "alpha", ServerStatus.ONLINE, 4, 8, 1, "ssh-ed25519 AAAAkey");
        server(beta, "beta", ServerStatus.OFFLINE, 2, 2, 0, null);

        assertThat(await(queries.query(new FetchRegisteredServer(alpha), RegisteredServer.class)))
                .isEqualTo(new RegisteredServer(alpha, "alpha", new ServerConnection("alpha.lab", "tcp://alpha.lab:2375",
                        2222, "gpu", "ssh-ed25519 AAAAkey"), ServerStatus.ONLINE));
        assertThat(await(queries.query(new FetchRegisteredServer(beta), RegisteredServer.class)).connection()
                .sshHostKey()).isNull();
        assertThat(await(queries.query(new FetchRegisteredServers(), ResponseTypes.multipleInstancesOf(
                RegisteredServer.class)))).extracting(RegisteredServer::name).containsExactly("alpha", "beta");
    }

    @Test
    void anUnknownServerIsRefusedAsNotFoundToTheAsker() {
        ServerId unknown = ServerId.random();

        assertThatThrownBy(() -> await(queries.query(new FetchRegisteredServer(unknown), RegisteredServer.class)))
                .isInstanceOfSatisfying(DomainException.class, refusal -> {
                    assertThat(refusal.reason()).isEqualTo(DomainException.Reason.NOT_FOUND);
                    assertThat(refusal.getMessage()).isEqualTo("No server " + unknown);
                });
    }

    @Test
    void roomCountsSlotsAndGpusLeftAfterReservationsAndMemoryFromTelemetry() {
        server(alpha, "alpha", ServerStatus.ONLINE, 4, 8, 1, null);
        server(beta, "beta", ServerStatus.OFFLINE, 2, 2, 2, null);
        reserve(alpha, 3);
        reserve(alpha, 2);

        List<ServerRoom> rooms = await(queries.query(new FetchServerRooms(),
                ResponseTypes.multipleInstancesOf(ServerRoom.class)));

        assertThat(rooms).containsExactlyInAnyOrder(
                new ServerRoom(alpha, "alpha", ServerStatus.ONLINE, 3, 3, 40 * GIB),
                new ServerRoom(beta, "beta", ServerStatus.OFFLINE, 0, 2, 0));
    }

    @Test
    void aServerEverAddedCountsEvenWhenItWasRemovedSince() {
        assertThat(await(queries.query(new FetchAnyServerEverAdded(), Boolean.class))).isFalse();

        event(alpha, 0, ServerRemoved.class);
        assertThat(await(queries.query(new FetchAnyServerEverAdded(), Boolean.class))).isFalse();

        event(beta, 0, ServerAdded.class);
        event(beta, 1, ServerRemoved.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM server_view", Long.class)).isZero();
        assertThat(await(queries.query(new FetchAnyServerEverAdded(), Boolean.class))).isTrue();
    }

    private static QueryGateway gatewayTo(Object handlers) {
        SimpleQueryBus bus = SimpleQueryBus.builder().build();
        new AnnotationQueryHandlerAdapter<>(handlers).subscribe(bus);
        return DefaultQueryGateway.builder().queryBus(bus).build();
    }

    private void server(ServerId id, String name, ServerStatus status, int maxContainers, int gpus, int containers,
                        String hostKey) {
        jdbc.update("""
                        INSERT INTO server_view (id, name, host, docker_endpoint, ssh_port, ssh_user, ssh_host_key, status,
                            gpu_count, max_containers, containers, created_at, updated_at)
                        VALUES (?, ?, ?, ?, 2222, 'gpu', ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""",
                id.value(), name, name + ".lab", "tcp://" + name + ".lab:2375", hostKey, status.name(), gpus,
                maxContainers, containers);
    }

    private void reserve(ServerId server, int gpus) {
        jdbc.update("INSERT INTO server_reservation_view (server_id, container_id, gpu_count) VALUES (?, ?, ?)",
                server.value(), UUID.randomUUID().toString(), gpus);
    }

    private void event(ServerId aggregate, long sequence, Class<?> payloadType) {
        jdbc.update("""
                        INSERT INTO DomainEventEntry (aggregateIdentifier, sequenceNumber, type, eventIdentifier, payload,
                            payloadType, timeStamp)
                        VALUES (?, ?, 'Server', ?, X'7B7D', ?, ?)""",
                aggregate.value(), sequence, UUID.randomUUID().toString(), payloadType.getName(),
                Instant.now().toString());
    }

    private static ServerStatsView stats(ServerId server, long totalMemory, long usedMemory) {
        return new ServerStatsView(server, Instant.now(), null, new ServerStatsView.Memory(totalMemory, usedMemory),
                null, List.of(), null, List.of());
    }
}
