package com.gpudash.query.server;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import com.gpudash.api.DomainException;
import com.gpudash.api.server.FetchAnyServerEverAdded;
import com.gpudash.api.server.FetchRegisteredServer;
import com.gpudash.api.server.FetchRegisteredServers;
import com.gpudash.api.server.FetchServerRooms;
import com.gpudash.api.server.RegisteredServer;
import com.gpudash.api.server.ServerAdded;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRoom;
import com.gpudash.api.server.ServerStatsView;
import com.gpudash.api.server.ServerStatus;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the workers, the poller, the image endpoints and startup ask about the servers (the registration with its
 * pinned SSH host key, which the API's server view never shows; the room left on each). They ask from threads that block anyway, so
 * these read with JDBC; free memory comes from the latest telemetry, which lives in memory.
 */
@Component
class ServerQueries {

    private static final String REGISTRATION = "id, name, host, docker_endpoint, ssh_port, ssh_user, ssh_host_key, status";

    private final JdbcTemplate jdbc;
    private final ServerTelemetrySource telemetry;

    ServerQueries(JdbcTemplate jdbc, ServerTelemetrySource telemetry) {
        this.jdbc = jdbc;
        this.telemetry = telemetry;
    }

    @QueryHandler
    List<RegisteredServer> all(FetchRegisteredServers query) {
        return jdbc.query("SELECT " + REGISTRATION + " FROM server_view ORDER BY name", (rs, n) -> registered(rs));
    }

    @QueryHandler
    RegisteredServer one(FetchRegisteredServer query) {
        return jdbc.query("SELECT " + REGISTRATION + " FROM server_view WHERE id = ?", (rs, n) -> registered(rs),
                        query.serverId().value())
                .stream().findFirst()
                .orElseThrow(() -> DomainException.notFound("No server " + query.serverId()));
    }

    private static RegisteredServer registered(ResultSet rs) throws SQLException {
        return new RegisteredServer(ServerId.of(rs.getString("id")), rs.getString("name"),
                new ServerConnection(rs.getString("host"), rs.getString("docker_endpoint"), rs.getInt("ssh_port"),
                        rs.getString("ssh_user"), rs.getString("ssh_host_key")),
                ServerStatus.valueOf(rs.getString("status")));
    }

    @QueryHandler
    List<ServerRoom> rooms(FetchServerRooms query) {
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

    /** The event store, not the registry: a server that was added and removed again counts. */
    @QueryHandler
    Boolean anyEverAdded(FetchAnyServerEverAdded query) {
        Long added = jdbc.queryForObject("SELECT COUNT(*) FROM DomainEventEntry WHERE payloadType = ?", Long.class,
                ServerAdded.class.getName());
        return added != null && added > 0;
    }
}
