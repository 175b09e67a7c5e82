package com.gpudash.query.stats;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.stats.StatsView;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.UserStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/admin/stats}: counts over the read models through R2DBC, grouped in the database, so the answer
 * costs a few small queries however many users and containers there are.
 */
@RestController
class StatsQueryController {

    private final DatabaseClient database;

    StatsQueryController(DatabaseClient database) {
        this.database = database;
    }

    @GetMapping("/api/admin/stats")
    Mono<StatsView> stats() {
        Mono<StatsView.Users> users = database
                .sql("SELECT role, status, COUNT(*) AS n FROM users_view GROUP BY role, status")
                .map(row -> new Count(row.get("role", String.class), row.get("status", String.class), number(row.get("n"))))
                .all()
                .collectList()
                .map(counts -> {
                    Map<UserStatus, Long> byStatus = zeros(UserStatus.class);
                    Map<Role, Long> byRole = zeros(Role.class);
                    long total = 0;
                    for (Count count : counts) {
                        byStatus.merge(UserStatus.valueOf(count.second()), count.n(), Long::sum);
                        byRole.merge(Role.valueOf(count.first()), count.n(), Long::sum);
                        total += count.n();
                    }
                    return new StatsView.Users(total, byStatus, byRole);
                });
        Mono<StatsView.Servers> servers = byStatus("server_view", ServerStatus.class, ServerStatus::valueOf)
                .map(byStatus -> new StatsView.Servers(byStatus.values().stream().mapToLong(Long::longValue).sum(),
                        byStatus.get(ServerStatus.ONLINE), byStatus));
        Mono<StatsView.Containers> containers = byStatus("container_view", ContainerStatus.class, ContainerStatus::valueOf)
                .map(StatsView.Containers::new);
        Mono<StatsView.Gpus> gpus = Mono.zip(
                single("SELECT COUNT(*) AS n FROM server_gpu_view"),
                single("SELECT COALESCE(SUM(gpu_count), 0) AS n FROM server_reservation_view"),
                StatsView.Gpus::new);
        return Mono.zip(users, servers, containers, gpus)
                .map(all -> new StatsView(all.getT1(), all.getT2(), all.getT3(), all.getT4()));
    }

    private <E extends Enum<E>> Mono<Map<E, Long>> byStatus(String table, Class<E> type, Function<String, E> parse) {
        return database.sql("SELECT status, COUNT(*) AS n FROM " + table + " GROUP BY status")
                .map(row -> Map.entry(parse.apply(row.get("status", String.class)), number(row.get("n"))))
                .all()
                .collect(() -> zeros(type), (counts, entry) -> counts.merge(entry.getKey(), entry.getValue(), Long::sum));
    }

    private Mono<Long> single(String sql) {
        return database.sql(sql).map(row -> number(row.get("n"))).one();
    }

    private static <E extends Enum<E>> Map<E, Long> zeros(Class<E> type) {
        Map<E, Long> counts = new EnumMap<>(type);
        for (E value : type.getEnumConstants()) {
            counts.put(value, 0L);
        }
        return counts;
    }

    /** COUNT and SUM come back as BIGINT or DECIMAL depending on the database. */
    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private record Count(String first, String second, long n) {
    }
}
