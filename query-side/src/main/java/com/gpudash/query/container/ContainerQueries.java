package com.gpudash.query.container;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.container.FetchContainerOwner;
import com.gpudash.api.container.FetchKnownContainers;
import com.gpudash.api.container.FetchPublishedRoutes;
import com.gpudash.api.container.KnownContainer;
import com.gpudash.api.container.PublishedRoute;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import com.gpudash.query.replay.ReadModelGate;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** What the container workers and reconciliation ask about containers and routes; they block anyway, so JDBC. */
@Component
class ContainerQueries {

    /** Past this, the route step fails and its saga retries it with back-off. */
    private static final Duration ROUTES_WAIT = Duration.ofSeconds(30);

    private final JdbcTemplate jdbc;
    private final ReadModelGate gate;

    ContainerQueries(JdbcTemplate jdbc, ReadModelGate gate) {
        this.jdbc = jdbc;
        this.gate = gate;
    }

    /**
     * During a rebuild of the read models this waits for its end: a config is never written from a half-filled
     * table. The query bus holds a connection for the query's transaction meanwhile; the route publisher asks one
     * question at a time, so a rebuild keeps at most one of the pool's connections waiting here.
     */
    @QueryHandler
    List<PublishedRoute> routes(FetchPublishedRoutes query) {
        return gate.read(ROUTES_WAIT, () -> jdbc.query("SELECT username, upstream_host, upstream_port FROM route_view",
                (rs, n) -> new PublishedRoute(rs.getString("username"), rs.getString("upstream_host"),
                        rs.getInt("upstream_port"))));
    }

    @QueryHandler
    List<KnownContainer> containers(FetchKnownContainers query) {
        return jdbc.query("SELECT id, server_id, status, container_name FROM container_view", (rs, n) -> {
            String serverId = rs.getString("server_id");
            return new KnownContainer(ContainerId.of(rs.getString("id")), serverId == null ? null : ServerId.of(serverId),
                    ContainerStatus.valueOf(rs.getString("status")), rs.getString("container_name"));
        });
    }

    @QueryHandler
    Optional<UserId> owner(FetchContainerOwner query) {
        return jdbc.query("SELECT user_id FROM container_view WHERE id = ?", (rs, n) -> UserId.of(rs.getString(1)),
                query.containerId().value()).stream().findFirst();
    }
}
