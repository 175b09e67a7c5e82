package com.gpudash.query.container;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.container.ContainerView;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import com.gpudash.query.web.UtcTime;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads the containers read model through R2DBC, for the user's own container and the admin's user listing. */
@Component
public class ContainerViews {

    private static final String SELECT = """
            SELECT c.id, c.user_id, c.username, c.server_id, s.name AS server_name, c.docker_container_id,
                   c.container_name, c.image, c.status, c.gpus, c.cpus, c.memory_bytes, c.route_path, c.url,
                   c.failure_reason, c.updated_at
            FROM container_view c LEFT JOIN server_view s ON s.id = c.server_id""";

    private final DatabaseClient database;

    public ContainerViews(DatabaseClient database) {
        this.database = database;
    }

    /** The user's container; empty when the user never had one. */
    public Mono<ContainerView> ofUser(UserId userId) {
        return database.sql(SELECT + " WHERE c.user_id = :userId")
                .bind("userId", userId.value())
                .map(ContainerViews::toView)
                .one();
    }

    /** The containers of these users, for a page of the users list. */
    public Flux<ContainerView> ofUsers(java.util.List<UserId> userIds) {
        if (userIds.isEmpty()) {
            return Flux.empty();
        }
        return database.sql(SELECT + " WHERE c.user_id IN (:userIds)")
                .bind("userIds", userIds.stream().map(UserId::value).toList())
                .map(ContainerViews::toView)
                .all();
    }

    public Mono<ContainerView> byId(ContainerId containerId) {
        return database.sql(SELECT + " WHERE c.id = :id")
                .bind("id", containerId.value())
                .map(ContainerViews::toView)
                .one();
    }

    static ContainerView toView(Readable row) {
        String serverId = row.get("server_id", String.class);
        String gpus = row.get("gpus", String.class);
        List<String> gpuUuids = gpus == null || gpus.isEmpty() ? List.of() : Arrays.asList(gpus.split(","));
        return new ContainerView(ContainerId.of(row.get("id", String.class)), UserId.of(row.get("user_id", String.class)),
                row.get("username", String.class), serverId == null ? null : ServerId.of(serverId),
                row.get("server_name", String.class), row.get("docker_container_id", String.class),
                row.get("container_name", String.class), row.get("image", String.class),
                ContainerStatus.valueOf(row.get("status", String.class)), List.copyOf(gpuUuids),
                row.get("cpus", Double.class), row.get("memory_bytes", Long.class), row.get("route_path", String.class),
                row.get("url", String.class), row.get("failure_reason", String.class),
                UtcTime.instant(row.get("updated_at", LocalDateTime.class)));
    }
}
