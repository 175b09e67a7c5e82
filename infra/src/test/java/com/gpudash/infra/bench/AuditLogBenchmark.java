package com.gpudash.infra.bench;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.gpudash.api.audit.AccessDenied;
import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.api.audit.AuditOutcome;
import com.gpudash.api.audit.CommandRefused;
import com.gpudash.api.audit.LoginFailed;
import com.gpudash.api.audit.LoginSucceeded;
import com.gpudash.api.user.UserId;
import com.gpudash.infra.GpuDashboardApplication;
import com.gpudash.infra.bench.ClosedLoop.Latencies;
import com.gpudash.query.audit.AuditLogSql;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.TestServices;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static com.gpudash.infra.bench.BenchReports.line;
import static com.gpudash.infra.bench.BenchReports.loadAverage;

/**
 * The audit log at a million entries (issue 11). Not part of the test suite (the name does not end in Test); run
 * it on purpose, on an otherwise quiet machine:
 * <pre>
 * mvn -o -q -pl infra -am verify -Dtest=AuditLogBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none
 *     [-Dbench.entries=1000000] [-Dbench.db=h2] [-Dbench.seconds=5] [-Dbench.connections=64] [-Dbench.projected=5000]
 * </pre>
 * It starts the application on MariaDB (the test services; a fresh database of its own, dropped at the end) or,
 * with {@code bench.db=h2}, on a fresh embedded H2 file, and then:
 * <ol>
 *   <li>writes {@code bench.entries} rows into {@code audit_log} straight through JDBC batches, shaped as the
 *       audit projection writes them (failed and successful logins, refused calls, refused commands of 1000 actors,
 *       3 ms apart): the page queries need a large table, and appending a million events for the projection to
 *       write took over five minutes. The projection's own rate is measured apart, in step 2;</li>
 *   <li>appends {@code bench.projected} audit events to the event store and times the audit projection writing
 *       them on top of that table, against a raw JDBC scan of the event table;</li>
 *   <li>for every filter of {@link #filters}: {@code GET /api/admin/logs} at {@code bench.connections} concurrent
 *       connections for {@code bench.seconds}, then the very statement the endpoint sends for a page and its
 *       total ({@link AuditLogSql#page}) straight through R2DBC at the same concurrency, and the p99 ratio; beside them what an exact
 *       {@code COUNT(*)} of the filter costs on one connection (what every page paid before) and, on MariaDB,
 *       the indexes its plan (EXPLAIN) reads;</li>
 *   <li>all filters mixed: through HTTP, their statements through R2DBC, and the statements the endpoint sent
 *       before (an exact {@code COUNT(*)} and the page's full rows with {@code OFFSET}) through R2DBC; and
 *       {@code GET /api/validate-session} at the same concurrency, the cheapest authenticated call; and the
 *       mixed pages through HTTP and R2DBC on one connection;</li>
 *   <li>the CSV export of the whole log in rows/s, against a raw R2DBC read of the same rows, and the heap the
 *       export retains: heap used after a full GC half-way through the download minus before it.</li>
 * </ol>
 * The report goes to stdout and to target/bench/audit-log.txt.
 */
class AuditLogBenchmark {

    private static final String ADMIN_PASSWORD = "bench-admin-password";
    private static final int ACTORS = 1000;
    private static final int INSERT_BATCH = 1000;
    private static final int APPEND_BATCH = 1000;
    private static final long SPACING_MILLIS = 3;
    private static final int PAGE_SIZE = 50;
    private static final String COLUMNS = "id, logged_at, actor, actor_role, action, target_type, target_id, outcome,"
            + " detail, source_ip, correlation_id";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private String baseUrl;
    private String admin;

    /** One filter of the list: its query parameters (page included), and what it means for the SQL. */
    record Filter(String name, Map<String, String> parameters) {

        String query() {
            return parameters.entrySet().stream()
                    .map(p -> p.getKey() + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
        }

        long offset() {
            return Long.parseLong(parameters.getOrDefault("page", "0")) * PAGE_SIZE;
        }

        AuditLogSql.Filter sql() {
            String outcome = parameters.get("outcome");
            String from = parameters.get("from");
            String to = parameters.get("to");
            return new AuditLogSql.Filter(parameters.get("actor"), parameters.get("action"),
                    parameters.get("targetType"), parameters.get("targetId"),
                    outcome == null ? null : AuditOutcome.valueOf(outcome), from == null ? null : Instant.parse(from),
                    to == null ? null : Instant.parse(to), parameters.get("correlationId"));
        }

        /** The WHERE clause the endpoint used before: every filter an equality or a bound, nothing else. */
        String oldWhere(List<Object> binds) {
            AuditLogSql.Filter filter = sql();
            List<String> conditions = new ArrayList<>();
            Map<String, Object> columns = new LinkedHashMap<>();
            columns.put("actor", filter.actor());
            columns.put("action", filter.action());
            columns.put("target_type", filter.targetType());
            columns.put("target_id", filter.targetId());
            columns.put("outcome", filter.outcome() == null ? null : filter.outcome().name());
            columns.put("correlation_id", filter.correlationId());
            columns.forEach((column, value) -> {
                if (value != null) {
                    conditions.add(column + " = ?");
                    binds.add(value);
                }
            });
            if (filter.from() != null) {
                conditions.add("logged_at >= ?");
                binds.add(LocalDateTime.ofInstant(filter.from(), ZoneOffset.UTC));
            }
            if (filter.to() != null) {
                conditions.add("logged_at < ?");
                binds.add(LocalDateTime.ofInstant(filter.to(), ZoneOffset.UTC));
            }
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }
    }

    @Test
    void run() throws Exception {
        int entries = Integer.getInteger("bench.entries", 1_000_000);
        int projected = Integer.getInteger("bench.projected", 5_000);
        Duration phase = Duration.ofSeconds(Integer.getInteger("bench.seconds", 5));
        int connections = Integer.getInteger("bench.connections", 64);
        boolean h2 = "h2".equalsIgnoreCase(System.getProperty("bench.db", "mariadb"));
        Path dataDir = Files.createTempDirectory("gpudash-audit-bench");
        String database = "gpudash_bench_audit_" + UUID.randomUUID().toString().substring(0, 8);
        List<String> arguments = new ArrayList<>(List.of("--DATA_DIR=" + dataDir,
                "--LOG_FILE=" + dataDir.resolve("bench.log"), "--MGMT_SERVER_IP=127.0.0.1", "--server.port=0",
                "--management.server.port=0", "--ADMIN_PASSWORD=" + ADMIN_PASSWORD,
                "--gpudash.security.bcrypt-cost=4", "--logging.level.root=warn", "--TELEMETRY_INTERVAL=1h"));
        if (!h2) {
            arguments.addAll(List.of("--DB_HOST=" + TestServices.dbHost(), "--DB_PORT=" + TestServices.dbPort(),
                    "--DB_USER=" + TestServices.dbUser(), "--DB_PASSWORD=" + TestServices.dbPassword(),
                    "--DB_NAME=" + database));
        }
        try {
            measure(h2, entries, projected, phase, connections, arguments);
        } finally {
            if (!h2) {
                try (Connection connection = DriverManager.getConnection("jdbc:mariadb://" + TestServices.dbHost()
                        + ":" + TestServices.dbPort() + "/", TestServices.dbUser(), TestServices.dbPassword())) {
                    connection.createStatement().execute("DROP DATABASE IF EXISTS " + database);
                }
            }
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private void measure(boolean h2, int entries, int projected, Duration phase, int connections,
                         List<String> arguments) throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(GpuDashboardApplication.class)
                .run(arguments.toArray(String[]::new))) {
            baseUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            admin = BenchReports.adminToken(http, baseUrl, ADMIN_PASSWORD);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            DatabaseClient database = app.getBean(DatabaseClient.class);
            StringBuilder report = new StringBuilder();
            line(report, "Audit log benchmark (%d cores, max heap %d MB, %s, loopback, load average at start %s)",
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    h2 ? "embedded H2" : "MariaDB", loadAverage());

            // 1. The table, straight through JDBC.
            Instant oldest = Instant.now().truncatedTo(ChronoUnit.SECONDS)
                    .minusMillis(entries * SPACING_MILLIS).minus(Duration.ofHours(1));
            long started = System.nanoTime();
            insert(app.getBean(DataSource.class), entries, oldest);
            double insertSeconds = seconds(started);
            line(report, "  entries:               %d rows written through JDBC, %d a statement, in %.1f s (%.0f rows/s)",
                    entries, INSERT_BATCH, insertSeconds, entries / insertSeconds);

            // 2. The projection's rate, apart.
            if (projected > 0) {
                long before = count(jdbc);
                started = System.nanoTime();
                append(app.getBean(EventStore.class), projected);
                awaitCount(jdbc, before + projected);
                double projectedSeconds = seconds(started);
                awaitAllProcessorsCaughtUp(app.getBean(EventProcessingConfiguration.class), jdbc);
                long scanStart = System.nanoTime();
                long scanned = rawEventScan(jdbc);
                double scanSeconds = seconds(scanStart);
                line(report, "  projection catch-up:   %d events appended and projected in %.1f s, %.0f events/s;"
                                + " raw event table scan %.0f events/s (%d rows); ratio %.3f",
                        projected, projectedSeconds, projected / projectedSeconds, scanned / scanSeconds, scanned,
                        (projected / projectedSeconds) / (scanned / scanSeconds));
            }
            long total = count(jdbc);
            line(report, "  entries in the log:    %d", total);

            // 3. Every filter on its own.
            List<Filter> filters = filters(entries, oldest);
            // Warm-up: with a few seconds only, the first filters measured the JIT compiler rather than the endpoint.
            Duration warmUp = Duration.ofSeconds(Math.max(15, phase.toSeconds()));
            runHttp(filters, connections, warmUp);
            runRaw(database, filters, connections, warmUp);
            line(report, "  per filter, %d connections, %d s each: matches (exact COUNT(*) on one connection);"
                    + " HTTP; the same statements through R2DBC; p99 HTTP / R2DBC", connections, phase.toSeconds());
            List<Double> ratios = new ArrayList<>();
            for (Filter filter : filters) {
                long countStart = System.nanoTime();
                long matches = exactCount(jdbc, filter);
                double countMillis = (System.nanoTime() - countStart) / 1e6;
                Latencies viaHttp = runHttp(List.of(filter), connections, phase);
                Latencies viaR2dbc = runRaw(database, List.of(filter), connections, phase);
                double ratio = viaHttp.percentileMillis(99) / viaR2dbc.percentileMillis(99);
                ratios.add(ratio);
                line(report, "    %-28s %7d matches (COUNT(*) %7.1f ms)%s%n      HTTP  %s%n      R2DBC %s%n      p99 ratio %.2f",
                        filter.name(), matches, countMillis, h2 ? "" : "; indexes " + plan(database, filter),
                        viaHttp.summary(), viaR2dbc.summary(), ratio);
            }

            // 4. All mixed, against the statements of before and the cheapest authenticated call.
            Latencies mixedHttp = runHttp(filters, connections, phase);
            Latencies mixedRaw = runRaw(database, filters, connections, phase);
            Latencies mixedOld = runOld(database, filters, connections, phase);
            Latencies session = runSession(connections, phase);
            Latencies singleHttp = runHttp(filters, 1, phase);
            Latencies singleRaw = runRaw(database, filters, 1, phase);
            line(report, "  all %d filters mixed, %d connections, %d s each:", filters.size(), connections,
                    phase.toSeconds());
            line(report, "    HTTP                      %s", mixedHttp.summary());
            line(report, "    same statements, R2DBC    %s", mixedRaw.summary());
            line(report, "    before (exact COUNT(*) + OFFSET page), R2DBC %s", mixedOld.summary());
            line(report, "    GET /api/validate-session %s", session.summary());
            line(report, "    one connection: HTTP p50 %.1f ms p99 %.1f ms, R2DBC p50 %.1f ms p99 %.1f ms",
                    singleHttp.percentileMillis(50), singleHttp.percentileMillis(99), singleRaw.percentileMillis(50),
                    singleRaw.percentileMillis(99));
            line(report, "    p99 HTTP / R2DBC %.2f; p99 HTTP / before %.4f; HTTP req/s / validate-session %.2f;"
                            + " per-filter p99 ratios %.2f to %.2f",
                    mixedHttp.percentileMillis(99) / mixedRaw.percentileMillis(99),
                    mixedHttp.percentileMillis(99) / mixedOld.percentileMillis(99),
                    mixedHttp.perSecond() / session.perSecond(),
                    ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));

            // 5. The whole log as CSV, against a raw R2DBC read of the same rows.
            long rawStart = System.nanoTime();
            Long rawRows = database.sql("SELECT " + COLUMNS + " FROM audit_log ORDER BY logged_at DESC, seq DESC")
                    .map(row -> List.of(String.valueOf(row.get("id", String.class)),
                            String.valueOf(row.get("logged_at", LocalDateTime.class)),
                            String.valueOf(row.get("actor", String.class)), String.valueOf(row.get("actor_role", String.class)),
                            String.valueOf(row.get("action", String.class)), String.valueOf(row.get("target_type", String.class)),
                            String.valueOf(row.get("target_id", String.class)), String.valueOf(row.get("outcome", String.class)),
                            String.valueOf(row.get("detail", String.class)), String.valueOf(row.get("source_ip", String.class)),
                            String.valueOf(row.get("correlation_id", String.class))))
                    .all().count().block();
            double rawExportSeconds = seconds(rawStart);
            long heapBefore = heapAfterGc();
            long[] peakHeap = {memory.getHeapMemoryUsage().getUsed()};
            long[] heapMidway = {0};
            long csvStart = System.nanoTime();
            long csvRows = csvExport(total, heapMidway, peakHeap);
            double csvSeconds = seconds(csvStart);
            line(report, "  CSV export:            %d rows in %.1f s, %.0f rows/s; raw R2DBC read %d rows in %.1f s,"
                            + " %.0f rows/s; ratio %.2f",
                    csvRows, csvSeconds, csvRows / csvSeconds, rawRows, rawExportSeconds, rawRows / rawExportSeconds,
                    (csvRows / csvSeconds) / (rawRows / rawExportSeconds));
            line(report, "  heap during export:    %+.1f MB retained at half-way (after full GC, vs before), peak used %.0f MB",
                    (heapMidway[0] - heapBefore) / 1048576.0, peakHeap[0] / 1048576.0);
            line(report, "  load average at end:   %s", loadAverage());
            System.out.println(report);
            Path out = Path.of("target/bench/audit-log.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            if (csvRows != total) {
                throw new IllegalStateException("the CSV export had " + csvRows + " rows, the log " + total);
            }
        }
    }

    private static String actor(int index) {
        return String.format(Locale.ROOT, "bench-actor-%03d", index);
    }

    private static String userId(int actor) {
        return new UUID(0x75736572L, actor).toString();
    }

    private static String correlationId(long entry) {
        return new UUID(0x636f7272L, entry).toString();
    }

    /**
     * Row i: actor (i / 4) mod 1000; a failed login, a login, a refused call, a refused command in turn. Many rows
     * a statement: one round trip a row would make this step, not the queries, the benchmark's length.
     */
    private static void insert(DataSource dataSource, int entries, Instant oldest) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            for (int first = 0; first < entries; first += INSERT_BATCH) {
                int rows = Math.min(INSERT_BATCH, entries - first);
                String values = String.join(", ", Collections.nCopies(rows, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_log (" + COLUMNS
                        + ") VALUES " + values)) {
                    int column = 1;
                    for (int i = first; i < first + rows; i++) {
                        int actor = (i / 4) % ACTORS;
                        int kind = i % 4;
                        insert.setString(column++, new UUID(0x656e7472L, i).toString());
                        insert.setObject(column++, LocalDateTime.ofInstant(oldest.plusMillis(i * SPACING_MILLIS),
                                ZoneOffset.UTC));
                        insert.setString(column++, actor(actor));
                        insert.setString(column++, kind == 0 ? null : "REGULAR");
                        insert.setString(column++, switch (kind) {
                            case 0, 1 -> "Login";
                            case 2 -> "AccessDenied";
                            default -> "ApproveUser";
                        });
                        insert.setString(column++, switch (kind) {
                            case 0 -> null;
                            case 2 -> "Route";
                            default -> "User";
                        });
                        insert.setString(column++, switch (kind) {
                            case 0 -> null;
                            case 2 -> "/api/admin/logs";
                            default -> userId(actor);
                        });
                        insert.setString(column++, switch (kind) {
                            case 1 -> "SUCCESS";
                            case 2 -> "DENIED";
                            default -> "FAILURE";
                        });
                        insert.setString(column++, switch (kind) {
                            case 0 -> "Wrong username or password";
                            case 1 -> null;
                            case 2 -> "HTTP 403 for GET /api/admin/logs: Not allowed: VIEW_AUDIT";
                            default -> "The user is not PENDING, \"ACTIVE\"";
                        });
                        insert.setString(column++, "10.0." + (actor / 250) + "." + (actor % 250));
                        insert.setString(column++, correlationId(i));
                    }
                    insert.executeUpdate();
                }
                connection.commit();
            }
        }
    }

    /** The same four kinds as audit events, through the event store, for the projection to write. */
    private static void append(EventStore eventStore, int events) {
        List<EventMessage<?>> batch = new ArrayList<>(APPEND_BATCH);
        for (int i = 0; i < events; i++) {
            int actor = (i / 4) % ACTORS;
            String username = actor(actor);
            Object payload = switch (i % 4) {
                case 0 -> new LoginFailed(username, "Wrong username or password");
                case 1 -> new LoginSucceeded(UserId.of(userId(actor)), username);
                case 2 -> new AccessDenied("GET", "/api/admin/logs", 403, "Not allowed: VIEW_AUDIT");
                default -> new CommandRefused("ApproveUser", "User", userId(actor), "The user is not PENDING, \"ACTIVE\"");
            };
            AuditMetadata metadata = new AuditMetadata(i % 4 == 0 ? null : userId(actor), username,
                    i % 4 == 0 ? null : "REGULAR", "10.0." + (actor / 250) + "." + (actor % 250),
                    UUID.randomUUID().toString());
            batch.add(GenericEventMessage.asEventMessage(payload).andMetaData(metadata.asMap()));
            if (batch.size() == APPEND_BATCH || i == events - 1) {
                eventStore.publish(batch);
                batch = new ArrayList<>(APPEND_BATCH);
            }
        }
    }

    /**
     * Every filter of the contract alone and the combinations an admin asks for. Sizes at 1,000,000 entries:
     * an actor has 1000 entries, a user id 500 as target, each of the four kinds 250,000.
     */
    private static List<Filter> filters(int entries, Instant oldest) {
        String actor = actor(37);
        Instant middle = oldest.plusMillis(entries / 2 * SPACING_MILLIS);
        String from = middle.toString();
        String to = middle.plusSeconds(5).toString();
        // A refused command of actor 37, half-way through the log.
        long refused = (entries / 2) / (4L * ACTORS) * 4L * ACTORS + 37 * 4 + 3;
        List<Filter> filters = new ArrayList<>();
        filters.add(filter("no filter"));
        filters.add(filter("actor", "actor", actor));
        filters.add(filter("action", "action", "ApproveUser"));
        filters.add(filter("targetType", "targetType", "User"));
        filters.add(filter("targetId", "targetId", userId(37)));
        filters.add(filter("outcome", "outcome", "DENIED"));
        filters.add(filter("from", "from", from));
        filters.add(filter("to", "to", from));
        filters.add(filter("from+to (5 s)", "from", from, "to", to));
        filters.add(filter("correlationId", "correlationId", correlationId(refused)));
        filters.add(filter("actor+outcome", "actor", actor, "outcome", "FAILURE"));
        filters.add(filter("action+outcome, page 3", "action", "Login", "outcome", "FAILURE", "page", "3"));
        filters.add(filter("targetType+targetId", "targetType", "Route", "targetId", "/api/admin/logs"));
        filters.add(filter("outcome+from+to", "outcome", "DENIED", "from", from, "to", to));
        filters.add(filter("actor+action+from+to", "actor", actor, "action", "Login", "from",
                oldest.toString(), "to", from));
        filters.add(filter("targetType+outcome, page 3", "targetType", "User", "outcome", "SUCCESS", "page", "3"));
        filters.add(filter("action, page 3", "action", "AccessDenied", "page", "3"));
        filters.add(filter("all eight", "actor", actor, "action", "ApproveUser", "targetType", "User",
                "targetId", userId(37), "outcome", "FAILURE", "from", oldest.toString(), "to", to,
                "correlationId", correlationId(refused)));
        return filters;
    }

    private static Filter filter(String name, String... parameters) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i += 2) {
            map.put(parameters[i], parameters[i + 1]);
        }
        return new Filter(name, map);
    }

    private static long exactCount(JdbcTemplate jdbc, Filter filter) {
        List<Object> binds = new ArrayList<>();
        String where = filter.oldWhere(binds);
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_log" + where, Long.class, binds.toArray());
    }

    private Latencies runHttp(List<Filter> filters, int connections, Duration duration) throws Exception {
        return ClosedLoop.run(connections, duration, index -> {
            Filter filter = filters.get(index % filters.size());
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/admin/logs?size=" + PAGE_SIZE
                            + (filter.parameters().isEmpty() ? "" : "&" + filter.query())))
                    .header("Authorization", "Bearer " + admin).timeout(Duration.ofSeconds(60)).GET().build();
            return () -> status(request) == 200;
        });
    }

    private Latencies runSession(int connections, Duration duration) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/validate-session"))
                .header("Authorization", "Bearer " + admin).timeout(Duration.ofSeconds(60)).GET().build();
        return ClosedLoop.run(connections, duration, index -> () -> status(request) == 200);
    }

    private int status(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The statement the endpoint sends for a filter's page, through the same R2DBC pool, without HTTP or JSON. */
    private static Latencies runRaw(DatabaseClient database, List<Filter> filters, int connections, Duration duration)
            throws Exception {
        return ClosedLoop.run(connections, duration, index -> {
            Filter filter = filters.get(index % filters.size());
            AuditLogSql.Filter sql = filter.sql();
            long offset = filter.offset();
            return () -> {
                try {
                    return bind(database, AuditLogSql.page(sql, PAGE_SIZE, offset))
                            .map(row -> List.of(row.get("total"), String.valueOf(row.get("id", String.class))))
                            .all().collectList().subscribeOn(Schedulers.boundedElastic()).block() != null;
                } catch (RuntimeException e) {
                    return false; // counted as an error, like a failed HTTP call (a pool timeout, say)
                }
            };
        });
    }

    /** What the endpoint sent before: the page's full rows with OFFSET, and an exact count of the filter. */
    private static Latencies runOld(DatabaseClient database, List<Filter> filters, int connections, Duration duration)
            throws Exception {
        return ClosedLoop.run(connections, duration, index -> {
            Filter filter = filters.get(index % filters.size());
            List<Object> binds = new ArrayList<>();
            String where = filter.oldWhere(binds);
            return () -> {
                DatabaseClient.GenericExecuteSpec page = database.sql("SELECT " + COLUMNS + " FROM audit_log" + where
                        + " ORDER BY logged_at DESC, seq DESC LIMIT " + PAGE_SIZE + " OFFSET " + filter.offset());
                DatabaseClient.GenericExecuteSpec count = database.sql("SELECT COUNT(*) AS total FROM audit_log" + where);
                for (int i = 0; i < binds.size(); i++) {
                    page = page.bind(i, binds.get(i));
                    count = count.bind(i, binds.get(i));
                }
                try {
                    return Mono.zip(page.map(row -> row.get("id", String.class)).all().collectList()
                                    .subscribeOn(Schedulers.boundedElastic()),
                            count.map(row -> row.get("total")).one().subscribeOn(Schedulers.boundedElastic()))
                            .block() != null;
                } catch (RuntimeException e) {
                    return false;
                }
            };
        });
    }

    /** The indexes MariaDB's plan for the page statement reads, with how it reads each (EXPLAIN's type). */
    private static String plan(DatabaseClient database, Filter filter) {
        AuditLogSql.Statement page = AuditLogSql.page(filter.sql(), PAGE_SIZE, filter.offset());
        return bind(database, new AuditLogSql.Statement("EXPLAIN " + page.sql(), page.binds()))
                .map(row -> row.get("key", String.class) == null ? ""
                        : row.get("key", String.class) + "(" + row.get("type", String.class) + ")")
                .all().filter(key -> !key.isEmpty()).collect(Collectors.joining(" ")).block();
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient database, AuditLogSql.Statement statement) {
        DatabaseClient.GenericExecuteSpec spec = database.sql(statement.sql());
        for (Map.Entry<String, Object> bind : statement.binds().entrySet()) {
            spec = spec.bind(bind.getKey(), bind.getValue());
        }
        return spec;
    }

    /** Reads the export as a slow-enough client would, line by line, and takes the heap's measure half-way. */
    private long csvExport(long expectedRows, long[] heapMidway, long[] peakHeap) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/admin/logs"))
                .header("Authorization", "Bearer " + admin).header("Accept", "text/csv")
                .timeout(Duration.ofMinutes(30)).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the export answered " + response.statusCode());
        }
        long lines = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream body = response.body()) {
            int read;
            while ((read = body.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                        if (lines == expectedRows / 2) {
                            heapMidway[0] = heapAfterGc();
                        }
                        if ((lines & 0x3fff) == 0) {
                            peakHeap[0] = Math.max(peakHeap[0], memory.getHeapMemoryUsage().getUsed());
                        }
                    }
                }
            }
        }
        return lines - 1; // the header
    }

    private long heapAfterGc() {
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** What a projection has to read: every column of every event, through plain JDBC. */
    private static long rawEventScan(JdbcTemplate jdbc) {
        long[] rows = {0};
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("SELECT globalIndex, eventIdentifier, payloadType, payload,"
                    + " metaData, timeStamp FROM DomainEventEntry ORDER BY globalIndex");
            statement.setFetchSize(1000);
            return statement;
        }, row -> {
            row.getBytes("payload");
            row.getBytes("metaData");
            rows[0]++;
        });
        return rows[0];
    }

    private static void awaitCount(JdbcTemplate jdbc, long expected) {
        Eventually.await(() -> "the audit projection to catch up: " + count(jdbc) + " of " + expected,
                Duration.ofMinutes(30), Duration.ofMillis(200),
                () -> Optional.of(count(jdbc)).filter(count -> count >= expected));
    }

    private static void awaitAllProcessorsCaughtUp(EventProcessingConfiguration processing, JdbcTemplate jdbc) {
        long maxGlobalIndex = jdbc.queryForObject("SELECT MAX(globalIndex) FROM DomainEventEntry", Long.class);
        Eventually.await(() -> "the event processors to catch up", Duration.ofMinutes(30), Duration.ofMillis(200),
                () -> Optional.of(true).filter(all -> processing.eventProcessors().values().stream()
                        .filter(TrackingEventProcessor.class::isInstance)
                        .map(TrackingEventProcessor.class::cast)
                        .allMatch(processor -> !processor.processingStatus().isEmpty()
                                && processor.processingStatus().values().stream().allMatch(status -> status.isCaughtUp()
                                && status.getCurrentPosition().orElse(-1) >= maxGlobalIndex))));
    }

    private static long count(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_log", Long.class);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

}
