package com.gpudash.query.server;

import java.time.Instant;

import com.gpudash.api.DomainException;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerStatsView;
import com.gpudash.api.server.ServerView;
import com.gpudash.query.history.AggregateHistory;
import com.gpudash.query.web.Page;
import com.gpudash.query.web.PageRequest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Reads the servers read model through R2DBC; nothing here blocks the event loop. */
@RestController
@RequestMapping("/api/admin/servers")
class ServerQueryController {

    private final DatabaseClient database;
    private final ServerViews servers;
    private final ServerTelemetrySource telemetry;
    private final AggregateHistory history;

    ServerQueryController(DatabaseClient database, ServerViews servers, ServerTelemetrySource telemetry,
                          AggregateHistory history) {
        this.database = database;
        this.servers = servers;
        this.telemetry = telemetry;
        this.history = history;
    }

    @GetMapping
    Mono<Page<ServerView>> list(@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        PageRequest request = PageRequest.of(page, size);
        Mono<Long> total = database.sql("SELECT COUNT(*) AS n FROM server_view")
                .map(row -> row.get("n", Long.class)).one();
        Mono<java.util.List<ServerView>> items = database
                .sql("SELECT " + ServerViews.COLUMNS + " FROM server_view ORDER BY name LIMIT :limit OFFSET :offset")
                .bind("limit", request.size())
                .bind("offset", request.offset())
                .map(ServerViews::toView)
                .all()
                .collectList();
        return Mono.zip(items, total, (rows, count) -> new Page<>(rows, count, request.page(), request.size()));
    }

    /**
     * The server now, from the read model; or with {@code asOf}, the server as it was at that instant, folded from
     * its events up to it (404 when it did not exist yet or had been removed by then).
     */
    @GetMapping("/{id}")
    Mono<ServerView> get(@PathVariable ServerId id, @RequestParam(required = false) Instant asOf) {
        if (asOf == null) {
            return current(id);
        }
        return history.until(id.value(), asOf).flatMap(events -> {
            ServerTimeline.State state = ServerTimeline.fold(events);
            return Mono.justOrEmpty(state.server()).switchIfEmpty(Mono.error(() -> DomainException.notFound(
                    state.removedAt() == null ? "No server " + id + " at " + asOf
                            : "Server " + id + " was removed at " + state.removedAt())));
        });
    }

    private Mono<ServerView> current(ServerId id) {
        return servers.find(id)
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("No server " + id)));
    }

    /** 404 for an unknown server; a known one not polled yet answers its identity with no figures. */
    @GetMapping("/{id}/stats")
    Mono<ServerStatsView> stats(@PathVariable ServerId id) {
        return current(id).map(server -> telemetry.latest(id).orElseGet(() -> new ServerStatsView(id, null, null, null,
                null, java.util.List.of(), null, java.util.List.of("not collected yet"))));
    }
}
