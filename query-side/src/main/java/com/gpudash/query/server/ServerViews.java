package com.gpudash.query.server;

import java.time.LocalDateTime;

import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.server.ServerView;
import com.gpudash.query.web.UtcTime;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Reads servers as the contract shows them from the servers read model, through R2DBC. */
@Component
public class ServerViews {

    static final String COLUMNS = "id, name, host, docker_endpoint, ssh_port, ssh_user, status, status_reason,"
            + " gpu_count, max_containers, containers, created_at";

    private final DatabaseClient database;

    ServerViews(DatabaseClient database) {
        this.database = database;
    }

    /** Empty when no such server is registered (or it was removed). */
    public Mono<ServerView> find(ServerId id) {
        return database.sql("SELECT " + COLUMNS + " FROM server_view WHERE id = :id")
                .bind("id", id.value())
                .map(ServerViews::toView)
                .one();
    }

    static ServerView toView(Readable row) {
        return new ServerView(ServerId.of(row.get("id", String.class)), row.get("name", String.class),
                row.get("host", String.class), row.get("docker_endpoint", String.class),
                row.get("ssh_port", Integer.class), row.get("ssh_user", String.class),
                ServerStatus.valueOf(row.get("status", String.class)), row.get("status_reason", String.class),
                row.get("gpu_count", Integer.class), row.get("max_containers", Integer.class),
                row.get("containers", Integer.class),
                UtcTime.instant(row.get("created_at", LocalDateTime.class)));
    }
}
