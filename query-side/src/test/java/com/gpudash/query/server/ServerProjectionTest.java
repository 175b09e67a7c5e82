package com.gpudash.query.server;

import static com.gpudash.query.ReadModelSchema.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.live.LiveChange;
import com.gpudash.api.server.GpuDevice;
import com.gpudash.api.server.GpuInventoryChanged;
import com.gpudash.api.server.ServerAdded;
import com.gpudash.api.server.ServerCapacityReleased;
import com.gpudash.api.server.ServerCapacityReserved;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRemoved;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.server.ServerStatusChanged;
import com.gpudash.api.user.UserId;
import com.gpudash.query.ReadModelSchema;
import com.gpudash.query.live.LiveChanges;
import com.gpudash.query.projection.ProjectionDriver;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Given these server events, these rows of server_view, server_gpu_view and server_reservation_view. */
class ServerProjectionTest {

    private static final Instant ADDED = Instant.parse("2026-03-01T10:00:00.123456Z");
    private static final Instant LATER = Instant.parse("2026-03-01T10:05:00.5Z");
    private static final GpuDevice GPU0 = new GpuDevice("GPU-a", 0, "H100", 80L << 30);
    private static final GpuDevice GPU1 = new GpuDevice("GPU-b", 1, "H100", 80L << 30);
    private static final GpuDevice GPU2 = new GpuDevice("GPU-c", 2, "A100", null);

    private final JdbcTemplate jdbc = ReadModelSchema.h2With("V10__servers.sql", "V20__containers.sql");
    private final LiveChanges live = mock(LiveChanges.class);
    private final ProjectionDriver projection = new ProjectionDriver(new ServerProjection(jdbc, live));
    private final ServerId alpha = ServerId.random();
    private final ServerId beta = ServerId.random();
    private final ContainerId ann = ContainerId.forUser(UserId.random());
    private final ContainerId bob = ContainerId.forUser(UserId.random());

    @Test
    void anAddedServerIsUnknownWithoutGpusOrContainersAsItsRegistrationSays() {
        projection.handleAt(ADDED, added(alpha, "alpha"));

        assertThat(jdbc.queryForList("SELECT * FROM server_view")).extracting("id", "name", "host", "docker_endpoint",
                "ssh_port", "ssh_user", "ssh_host_key", "status", "status_reason", "gpu_count", "max_containers",
                "containers", "created_at", "updated_at")
                .containsExactly(tuple(alpha.value(), "alpha", "alpha.lab", "tcp://alpha.lab:2375", 2222, "gpu",
                        "ssh-ed25519 AAAAkey", "UNKNOWN", null, 0, 4, 0, stored(ADDED), stored(ADDED)));
        verify(live).changed(new LiveChange(LiveChange.Kind.SERVER, alpha.value(), null));
    }

    @Test
    void aStatusChangeSetsStatusReasonAndTime() {
        projection.handleAt(ADDED, added(alpha, "alpha"));

        projection.handleAt(LATER, new ServerStatusChanged(alpha, ServerStatus.UNKNOWN, ServerStatus.OFFLINE,
                "connection refused"));
        assertThat(server(alpha)).containsExactly("OFFLINE", "connection refused", stored(LATER));

        projection.handleAt(ADDED, new ServerStatusChanged(alpha, ServerStatus.OFFLINE, ServerStatus.ONLINE, null));
        assertThat(server(alpha)).containsExactly("ONLINE", null, stored(ADDED));
    }

    @Test
    void anInventoryReplacesTheServersGpusAndCountsThem() {
        projection.handleAt(ADDED, added(alpha, "alpha"), added(beta, "beta"));

        projection.handleAt(ADDED, new GpuInventoryChanged(alpha, List.of(GPU0, GPU1)),
                new GpuInventoryChanged(beta, List.of(GPU2)));
        projection.handleAt(LATER, new GpuInventoryChanged(alpha, List.of(GPU1, GPU2)));

        assertThat(jdbc.queryForList("SELECT * FROM server_gpu_view ORDER BY server_id = ?, gpu_index", alpha.value()))
                .extracting("server_id", "uuid", "gpu_index", "name", "memory_total_bytes")
                .containsExactly(
                        tuple(beta.value(), "GPU-c", 2, "A100", null),
                        tuple(alpha.value(), "GPU-b", 1, "H100", 80L << 30),
                        tuple(alpha.value(), "GPU-c", 2, "A100", null));
        assertThat(jdbc.queryForList("SELECT * FROM server_view ORDER BY name")).extracting("name", "gpu_count",
                "updated_at").containsExactly(tuple("alpha", 2, stored(LATER)), tuple("beta", 1, stored(ADDED)));
    }

    @Test
    void reservationsAreTheServersLedgerAndItsContainersTheirCount() {
        projection.handleAt(ADDED, added(alpha, "alpha"), added(beta, "beta"));

        projection.handleAt(LATER, new ServerCapacityReserved(alpha, ann, List.of("GPU-a", "GPU-b")),
                new ServerCapacityReserved(beta, bob, List.of()),
                new ServerCapacityReserved(alpha, bob, List.of("GPU-c")));

        assertThat(jdbc.queryForList("SELECT * FROM server_reservation_view ORDER BY gpu_count"))
                .extracting("server_id", "container_id", "gpu_count").containsExactly(
                        tuple(beta.value(), bob.value(), 0),
                        tuple(alpha.value(), bob.value(), 1),
                        tuple(alpha.value(), ann.value(), 2));
        assertThat(jdbc.queryForList("SELECT * FROM server_view ORDER BY name")).extracting("name", "containers",
                "updated_at").containsExactly(tuple("alpha", 2, stored(LATER)), tuple("beta", 1, stored(LATER)));
    }

    /** The count is taken from the ledger, not added to, so a release that finds nothing to release changes nothing. */
    @Test
    void aReleaseRemovesItsReservationAndARepeatedReleaseLeavesTheCountRight() {
        projection.handleAt(ADDED, added(alpha, "alpha"),
                new ServerCapacityReserved(alpha, ann, List.of("GPU-a")),
                new ServerCapacityReserved(alpha, bob, List.of("GPU-b")));

        projection.handleAt(LATER, new ServerCapacityReleased(alpha, ann, List.of("GPU-a")),
                new ServerCapacityReleased(alpha, ann, List.of("GPU-a")));

        assertThat(jdbc.queryForList("SELECT * FROM server_reservation_view")).extracting("container_id")
                .containsExactly(bob.value());
        assertThat(jdbc.queryForObject("SELECT containers FROM server_view", Integer.class)).isEqualTo(1);
    }

    @Test
    void aRemovedServerTakesItsGpusAndReservationsAndLeavesTheOthers() {
        projection.handleAt(ADDED, added(alpha, "alpha"), added(beta, "beta"),
                new GpuInventoryChanged(alpha, List.of(GPU0)), new GpuInventoryChanged(beta, List.of(GPU1)),
                new ServerCapacityReserved(alpha, ann, List.of("GPU-a")),
                new ServerCapacityReserved(beta, bob, List.of("GPU-b")));

        projection.handleAt(LATER, new ServerRemoved(alpha, "alpha", true, List.of(ann.value())));

        assertThat(jdbc.queryForList("SELECT id FROM server_view", String.class)).containsExactly(beta.value());
        assertThat(jdbc.queryForList("SELECT server_id FROM server_gpu_view", String.class))
                .containsExactly(beta.value());
        assertThat(jdbc.queryForList("SELECT server_id FROM server_reservation_view", String.class))
                .containsExactly(beta.value());
    }

    /** A server removed and added again under the same name in one batch of events is a new row. */
    @Test
    void aServerAddedAgainAfterItsRemovalInTheSameBatchIsThere() {
        ServerId again = ServerId.random();

        projection.handleAt(ADDED, added(alpha, "alpha"), new ServerRemoved(alpha, "alpha", false, List.of()),
                added(again, "alpha"));

        assertThat(jdbc.queryForList("SELECT id FROM server_view", String.class)).containsExactly(again.value());
    }

    @Test
    void aResetEmptiesServersGpusAndReservations() {
        projection.handleAt(ADDED, added(alpha, "alpha"), new GpuInventoryChanged(alpha, List.of(GPU0)),
                new ServerCapacityReserved(alpha, ann, List.of("GPU-a")));

        projection.reset();

        assertThat(jdbc.queryForObject("SELECT (SELECT COUNT(*) FROM server_view) + (SELECT COUNT(*) FROM"
                + " server_gpu_view) + (SELECT COUNT(*) FROM server_reservation_view)", Integer.class)).isZero();
    }

    private static ServerAdded added(ServerId id, String name) {
        return new ServerAdded(id, name, new ServerConnection(name + ".lab", "tcp://" + name + ".lab:2375", 2222,
                "gpu", "ssh-ed25519 AAAAkey"), 4);
    }

    private List<Object> server(ServerId id) {
        return jdbc.queryForObject("SELECT status, status_reason, updated_at FROM server_view WHERE id = ?",
                (row, n) -> Arrays.asList(row.getString(1), row.getString(2), row.getTimestamp(3)),
                id.value());
    }
}
