package com.gpudash.query.traffic;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

import com.gpudash.api.user.UserId;
import com.gpudash.query.web.PageRequest;
import com.gpudash.query.web.UtcTime;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /api/admin/traffic}: requests and body bytes per user since {@code since} (when the first of them was
 * counted), busiest first, paged like the other lists. A request counts once it has been answered (an event stream
 * when it ends; its bytes as they go), so this one is not in its own answer. This node's counts are stored first;
 * other nodes' are at most one flush interval behind.
 */
@RestController
class TrafficController {

    record UserTrafficView(UserId userId, String username, long requests, long bytesIn, long bytesOut,
                           Instant lastSeenAt) {
    }

    /** The contract's list shape, {@code {items, total, page, size}}, with the start of the counting. */
    record TrafficPage(Instant since, List<UserTrafficView> items, long total, int page, int size) {
    }

    private final UserTraffic traffic;
    private final DatabaseClient database;

    TrafficController(UserTraffic traffic, DatabaseClient database) {
        this.traffic = traffic;
        this.database = database;
    }

    @GetMapping("/api/admin/traffic")
    Mono<TrafficPage> traffic(@RequestParam(required = false) Integer page,
                              @RequestParam(required = false) Integer size) {
        PageRequest request = PageRequest.of(page, size);
        Mono<Void> flushed = Mono.fromRunnable(traffic::flush).subscribeOn(Schedulers.boundedElastic()).then();
        Mono<List<UserTrafficView>> items = database.sql("""
                        SELECT t.user_id, u.username, t.requests, t.bytes_in, t.bytes_out, t.last_seen_at
                        FROM user_traffic t LEFT JOIN users_view u ON u.user_id = t.user_id
                        ORDER BY t.requests DESC, t.user_id
                        LIMIT :limit OFFSET :offset""")
                .bind("limit", request.size())
                .bind("offset", request.offset())
                .map(row -> new UserTrafficView(UserId.of(row.get("user_id", String.class)),
                        row.get("username", String.class), ((Number) row.get("requests")).longValue(),
                        ((Number) row.get("bytes_in")).longValue(), ((Number) row.get("bytes_out")).longValue(),
                        UtcTime.instant(row.get("last_seen_at", LocalDateTime.class))))
                .all()
                .collectList();
        Mono<Totals> totals = database.sql("SELECT COUNT(*) AS n, MIN(first_seen_at) AS since FROM user_traffic")
                .map(row -> new Totals(((Number) row.get("n")).longValue(),
                        UtcTime.instant(row.get("since", LocalDateTime.class))))
                .one();
        return flushed.then(Mono.zip(items, totals, (rows, counted) ->
                new TrafficPage(counted.since(), rows, counted.users(), request.page(), request.size())));
    }

    private record Totals(long users, Instant since) {
    }
}
