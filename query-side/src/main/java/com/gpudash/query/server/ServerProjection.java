package com.gpudash.query.server;

import java.time.Instant;

import com.gpudash.api.live.LiveChange;
import com.gpudash.api.server.GpuDevice;
import com.gpudash.api.server.GpuInventoryChanged;
import com.gpudash.api.server.ServerAdded;
import com.gpudash.api.server.ServerCapacityReleased;
import com.gpudash.api.server.ServerCapacityReserved;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRemoved;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.server.ServerStatusChanged;
import com.gpudash.query.live.LiveChanges;
import com.gpudash.query.projection.ProjectionWrites;
import com.gpudash.query.web.UtcTime;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes the servers read model with JDBC inside the event handler's transaction, so the rows and the
 * processor's token always move together (rows and token are atomic only on one DataSource in one transaction). Every statement is keyed by its server ({@link ProjectionWrites}).
 */
@Component
@ProcessingGroup("server-projection")
class ServerProjection {

    private final JdbcTemplate jdbc;
    private final ProjectionWrites writes;
    private final LiveChanges live;

    ServerProjection(JdbcTemplate jdbc, LiveChanges live) {
        this.jdbc = jdbc;
        this.writes = new ProjectionWrites(jdbc);
        this.live = live;
    }

    @EventHandler
    void on(ServerAdded event, @Timestamp Instant at) {
        writes.update(event.serverId(), """
                        INSERT INTO server_view (id, name, host, docker_endpoint, ssh_port, ssh_user, ssh_host_key, status,
                            status_reason, gpu_count, max_containers, containers, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, ?, 0, ?, ?)""",
                event.serverId().value(), event.name(), event.connection().host(), event.connection().dockerEndpoint(),
                event.connection().sshPort(), event.connection().sshUser(), event.connection().sshHostKey(),
                ServerStatus.UNKNOWN.name(), event.maxContainers(), UtcTime.column(at), UtcTime.column(at));
        changed(event.serverId());
    }

    @EventHandler
    void on(ServerStatusChanged event, @Timestamp Instant at) {
        writes.update(event.serverId(), "UPDATE server_view SET status = ?, status_reason = ?, updated_at = ?"
                        + " WHERE id = ?",
                event.status().name(), event.reason(), UtcTime.column(at), event.serverId().value());
        changed(event.serverId());
    }

    @EventHandler
    void on(GpuInventoryChanged event, @Timestamp Instant at) {
        String id = event.serverId().value();
        writes.update(event.serverId(), "DELETE FROM server_gpu_view WHERE server_id = ?", id);
        for (GpuDevice gpu : event.gpus()) {
            writes.update(event.serverId(), "INSERT INTO server_gpu_view (server_id, uuid, gpu_index, name,"
                            + " memory_total_bytes) VALUES (?, ?, ?, ?, ?)",
                    id, gpu.uuid(), gpu.index(), gpu.name(), gpu.memoryTotalBytes());
        }
        writes.update(event.serverId(), "UPDATE server_view SET gpu_count = ?, updated_at = ? WHERE id = ?",
                event.gpus().size(), UtcTime.column(at), id);
        changed(event.serverId());
    }

    @EventHandler
    void on(ServerRemoved event) {
        writes.update(event.serverId(), "DELETE FROM server_gpu_view WHERE server_id = ?", event.serverId().value());
        writes.update(event.serverId(), "DELETE FROM server_reservation_view WHERE server_id = ?",
                event.serverId().value());
        writes.update(event.serverId(), "DELETE FROM server_view WHERE id = ?", event.serverId().value());
        changed(event.serverId());
    }

    /** The ledger reserves once per container; a second reservation of the same container records no event. */
    @EventHandler
    void on(ServerCapacityReserved event, @Timestamp Instant at) {
        writes.update(event.serverId(), "INSERT INTO server_reservation_view (server_id, container_id, gpu_count)"
                        + " VALUES (?, ?, ?)",
                event.serverId().value(), event.containerId().value(), event.gpuUuids().size());
        countContainers(event.serverId(), at);
        changed(event.serverId());
    }

    @EventHandler
    void on(ServerCapacityReleased event, @Timestamp Instant at) {
        writes.update(event.serverId(), "DELETE FROM server_reservation_view WHERE server_id = ? AND container_id = ?",
                event.serverId().value(), event.containerId().value());
        countContainers(event.serverId(), at);
        changed(event.serverId());
    }

    private void countContainers(ServerId serverId, Instant at) {
        writes.update(serverId, """
                UPDATE server_view SET updated_at = ?,
                    containers = (SELECT COUNT(*) FROM server_reservation_view WHERE server_id = ?)
                WHERE id = ?""", UtcTime.column(at), serverId.value(), serverId.value());
    }

    private void changed(ServerId serverId) {
        live.changed(new LiveChange(LiveChange.Kind.SERVER, serverId.value(), null));
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM server_reservation_view");
        jdbc.update("DELETE FROM server_gpu_view");
        jdbc.update("DELETE FROM server_view");
    }
}
