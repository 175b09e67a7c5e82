package com.gpudash.infra.containers;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.gpudash.agent.Route;
import com.gpudash.api.DomainException;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerStatsView;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.user.UserId;
import com.gpudash.query.replay.ReadModelGate;
import com.gpudash.query.server.ServerTelemetrySource;
import com.gpudash.saga.container.ContainerReadModels;
import com.gpudash.saga.container.ServerRoom;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The workers' view of the read models. Workers run on their own threads and block anyway, so they read with JDBC;
 * free memory comes from the latest telemetry, which lives in memory.
 */
@Component
class JdbcContainerReadModels implements ContainerReadModels {

    /** Past this, the route step fails and its saga retries it with back-off. */
    private static final Duration ROUTES_WAIT = Duration.ofSeconds(30);

    private final JdbcTemplate jdbc;
    private final ServerTelemetrySource telemetry;
    private final ReadModelGate gate;

    JdbcContainerReadModels(JdbcTemplate jdbc, ServerTelemetrySource telemetry, ReadModelGate gate) {
        this.jdbc = jdbc;
        this.telemetry = telemetry;
        this.gate = gate;
    }

    @Override
    public List<ServerRoom> serverRooms() {
        return jdbc.query("""
                        SELECT s.id, s.name, s.status, s.max_containers - s.containers AS free_slots,
                               s.gpu_count - COALESCE((SELECT SUM(r.gpu_count) FROM server_reservation_view r
                                                       WHERE r.server_id = s.id), 0) AS free_gpus
                        FROM server_view s""",
                (rs, n) -> {
                    ServerId id = ServerId.of(rs.getString("id"));
                    return new ServerRoom(id, rs.getString("name"), ServerStatus.valueOf(rs.getString("status")),
                            rs.getInt("free_slots"), rs.getInt("free_gpus"), freeMemory(id));
                });
    }

    private long freeMemory(ServerId serverId) {
        return telemetry.latest(serverId).map(ServerStatsView::memory)
                .map(memory -> memory.totalBytes() - memory.usedBytes())
                .orElse(0L);
    }

    @Override
    public String serverHost(ServerId serverId) {
        return jdbc.query("SELECT host FROM server_view WHERE id = ?", (rs, n) -> rs.getString("host"),
                serverId.value()).stream().findFirst()
                .orElseThrow(() -> DomainException.notFound("No server " + serverId));
    }

    /**
     * Every route, which becomes the whole nginx config: during a rebuild of the read models this waits for its
     * end, so that a config is never written from a half-filled table.
     */
    @Override
    public List<Route> routes() {
        return gate.read(ROUTES_WAIT, () -> jdbc.query("SELECT username, upstream_host, upstream_port FROM route_view",
                (rs, n) -> new Route(rs.getString("username"), rs.getString("upstream_host"),
                        rs.getInt("upstream_port"))));
    }

    @Override
    public List<KnownContainer> containers() {
        return jdbc.query("SELECT id, server_id, status, container_name FROM container_view", (rs, n) -> {
            String serverId = rs.getString("server_id");
            return new KnownContainer(ContainerId.of(rs.getString("id")), serverId == null ? null : ServerId.of(serverId),
                    ContainerStatus.valueOf(rs.getString("status")), rs.getString("container_name"));
        });
    }

    @Override
    public Optional<UserId> ownerOf(ContainerId containerId) {
        return jdbc.query("SELECT user_id FROM container_view WHERE id = ?", (rs, n) -> UserId.of(rs.getString(1)),
                containerId.value()).stream().findFirst();
    }
}
