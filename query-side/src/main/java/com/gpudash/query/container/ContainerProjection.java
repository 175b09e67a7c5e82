package com.gpudash.query.container;

import java.time.Instant;

import com.gpudash.api.container.ContainerFoundMissing;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerNames;
import com.gpudash.api.container.ContainerPlaced;
import com.gpudash.api.container.ContainerProvisioned;
import com.gpudash.api.container.ContainerRemovalFailed;
import com.gpudash.api.container.ContainerRemovalRequested;
import com.gpudash.api.container.ContainerRemoved;
import com.gpudash.api.container.ContainerRequested;
import com.gpudash.api.container.ContainerStarted;
import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.container.ContainerStatusDrifted;
import com.gpudash.api.container.DockerContainerCreated;
import com.gpudash.api.container.DockerContainerRemoved;
import com.gpudash.api.container.DockerContainerStarted;
import com.gpudash.api.container.DockerContainerStopped;
import com.gpudash.api.container.ProvisioningFailed;
import com.gpudash.api.container.RouteActivated;
import com.gpudash.api.container.RouteDeactivated;
import com.gpudash.api.live.LiveChange;
import com.gpudash.api.user.UserId;
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
 * Writes the containers and routes read models with JDBC in the event handler's transaction (rows and token are atomic only on one DataSource in one transaction). A route is
 * there from its activation until it is withdrawn or its container removed, pointing at the port the container
 * publishes now. Every statement is keyed by its container's id ({@link ProjectionWrites}).
 */
@Component
@ProcessingGroup("container-projection")
class ContainerProjection {

    private final JdbcTemplate jdbc;
    private final ProjectionWrites writes;
    private final LiveChanges live;

    ContainerProjection(JdbcTemplate jdbc, LiveChanges live) {
        this.jdbc = jdbc;
        this.writes = new ProjectionWrites(jdbc);
        this.live = live;
    }

    /** A new request after a FAILED provisioning starts the row afresh. */
    @EventHandler
    void on(ContainerRequested event, @Timestamp Instant at) {
        String id = event.containerId().value();
        writes.update(id, "DELETE FROM container_view WHERE id = ?", id);
        writes.update(id, """
                        INSERT INTO container_view (id, user_id, username, container_name, status, gpus, updated_at)
                        VALUES (?, ?, ?, ?, ?, '', ?)""",
                id, event.userId().value(), event.username(), ContainerNames.dockerContainerName(event.username()),
                ContainerStatus.REQUESTED.name(), UtcTime.column(at));
        changed(event.containerId());
    }

    @EventHandler
    void on(ContainerPlaced event, @Timestamp Instant at) {
        String id = event.containerId().value();
        writes.update(id, "UPDATE container_view SET status = ?, server_id = ?, gpus = ?, updated_at = ? WHERE id = ?",
                ContainerStatus.PROVISIONING.name(), event.serverId().value(), String.join(",", event.gpuUuids()),
                UtcTime.column(at), id);
        changed(event.containerId());
    }

    @EventHandler
    void on(DockerContainerCreated event, @Timestamp Instant at) {
        String id = event.containerId().value();
        writes.update(id, """
                        UPDATE container_view SET docker_container_id = ?, image = ?, cpus = ?, memory_bytes = ?,
                            updated_at = ? WHERE id = ?""",
                event.dockerContainerId(), event.image(), event.cpus(), event.memoryBytes(), UtcTime.column(at),
                id);
        changed(event.containerId());
    }

    @EventHandler
    void on(DockerContainerStarted event, @Timestamp Instant at) {
        String id = event.containerId().value();
        writes.update(id, "UPDATE container_view SET host_port = ?, updated_at = ? WHERE id = ?",
                event.hostPort(), UtcTime.column(at), id);
        changed(event.containerId());
    }

    @EventHandler
    void on(RouteActivated event, @Timestamp Instant at) {
        String id = event.containerId().value();
        writes.update(id, "UPDATE container_view SET route_path = ?, url = ?, updated_at = ? WHERE id = ?",
                event.routePath(), event.url(), UtcTime.column(at), id);
        writes.update(id, "DELETE FROM route_view WHERE container_id = ?", id);
        writes.update(id, """
                        INSERT INTO route_view (username, container_id, upstream_host, upstream_port)
                        SELECT c.username, c.id, s.host, c.host_port
                        FROM container_view c JOIN server_view s ON s.id = c.server_id
                        WHERE c.id = ?""", id);
        changed(event.containerId());
    }

    @EventHandler
    void on(ContainerProvisioned event, @Timestamp Instant at) {
        String id = event.containerId().value();
        status(id, ContainerStatus.RUNNING, at);
        writes.update(id, "UPDATE container_view SET failure_reason = NULL WHERE id = ?", id);
        changed(event.containerId());
    }

    @EventHandler
    void on(ProvisioningFailed event, @Timestamp Instant at) {
        String id = event.containerId().value();
        writes.update(id, """
                        UPDATE container_view SET status = ?, failure_reason = ?, server_id = NULL, gpus = '',
                            docker_container_id = NULL, host_port = NULL, route_path = NULL, url = NULL,
                            updated_at = ? WHERE id = ?""",
                ContainerStatus.FAILED.name(), event.reason(), UtcTime.column(at), id);
        changed(event.containerId());
    }

    @EventHandler
    void on(ContainerStarted event, @Timestamp Instant at) {
        String id = event.containerId().value();
        writes.update(id, "UPDATE container_view SET status = ?, host_port = ?, updated_at = ? WHERE id = ?",
                ContainerStatus.RUNNING.name(), event.hostPort(), UtcTime.column(at), id);
        writes.update(id, "UPDATE route_view SET upstream_port = ? WHERE container_id = ?", event.hostPort(), id);
        changed(event.containerId());
    }

    @EventHandler
    void on(DockerContainerStopped event, @Timestamp Instant at) {
        status(event.containerId().value(), ContainerStatus.STOPPED, at);
        changed(event.containerId());
    }

    @EventHandler
    void on(ContainerRemovalRequested event, @Timestamp Instant at) {
        status(event.containerId().value(), ContainerStatus.REMOVING, at);
        changed(event.containerId());
    }

    @EventHandler
    void on(RouteDeactivated event, @Timestamp Instant at) {
        String id = event.containerId().value();
        writes.update(id, "UPDATE container_view SET route_path = NULL, url = NULL, updated_at = ? WHERE id = ?",
                UtcTime.column(at), id);
        writes.update(id, "DELETE FROM route_view WHERE container_id = ?", id);
        changed(event.containerId());
    }

    @EventHandler
    void on(DockerContainerRemoved event, @Timestamp Instant at) {
        String id = event.containerId().value();
        writes.update(id, "UPDATE container_view SET docker_container_id = NULL, host_port = NULL, updated_at = ?"
                + " WHERE id = ?",
                UtcTime.column(at), id);
        changed(event.containerId());
    }

    @EventHandler
    void on(ContainerRemoved event, @Timestamp Instant at) {
        String id = event.containerId().value();
        writes.update(id, """
                        UPDATE container_view SET status = ?, server_id = NULL, gpus = '', docker_container_id = NULL,
                            host_port = NULL, route_path = NULL, url = NULL, updated_at = ? WHERE id = ?""",
                ContainerStatus.REMOVED.name(), UtcTime.column(at), id);
        writes.update(id, "DELETE FROM route_view WHERE container_id = ?", id);
        changed(event.containerId());
    }

    @EventHandler
    void on(ContainerRemovalFailed event, @Timestamp Instant at) {
        String id = event.containerId().value();
        writes.update(id, "UPDATE container_view SET status = ?, failure_reason = ?, updated_at = ? WHERE id = ?",
                ContainerStatus.FAILED.name(), event.reason(), UtcTime.column(at), id);
        changed(event.containerId());
    }

    @EventHandler
    void on(ContainerFoundMissing event, @Timestamp Instant at) {
        String id = event.containerId().value();
        writes.update(id, "UPDATE container_view SET status = ?, failure_reason = ?, updated_at = ? WHERE id = ?",
                ContainerStatus.FAILED.name(), event.reason(), UtcTime.column(at), id);
        changed(event.containerId());
    }

    @EventHandler
    void on(ContainerStatusDrifted event, @Timestamp Instant at) {
        status(event.containerId().value(), event.to(), at);
        changed(event.containerId());
    }

    /** The container's events do not all name its user; the row written a moment ago does. */
    private void changed(ContainerId containerId) {
        if (live.replaying()) {
            return;
        }
        writes.flush();
        jdbc.queryForList("SELECT user_id FROM container_view WHERE id = ?", String.class, containerId.value())
                .forEach(userId -> live.changed(
                        new LiveChange(LiveChange.Kind.CONTAINER, containerId.value(), UserId.of(userId))));
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM route_view");
        jdbc.update("DELETE FROM container_view");
    }

    private void status(String id, ContainerStatus status, Instant at) {
        writes.update(id, "UPDATE container_view SET status = ?, updated_at = ? WHERE id = ?",
                status.name(), UtcTime.column(at), id);
    }
}
