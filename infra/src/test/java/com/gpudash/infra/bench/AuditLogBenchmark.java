package com.gpudash.infra.bench;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.gpudash.api.audit.AccessDenied;
import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.api.audit.CommandRefused;
import com.gpudash.api.audit.LoginFailed;
import com.gpudash.api.audit.LoginSucceeded;
import com.gpudash.api.user.UserId;
import com.gpudash.infra.GpuDashboardApplication;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The audit log at scale. Not part of the test suite (the name does not end in Test); run it on purpose, on an
 * otherwise quiet machine:
 * <pre>
 * mvn -o -q -pl infra -am verify -Dtest=AuditLogBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 *     [-Dbench.entries=1000000] [-Dbench.seconds=15] [-Dbench.connections=64]
 * </pre>
 * It starts the application on a fresh embedded database, appends {@code bench.entries} audit events (failed and
 * successful logins, refused calls, refused commands of 1000 actors) to the event store in batches and lets the
 * audit projection catch up, then measures, each against a baseline in the same run:
 * <ul>
 *   <li>the projection's catch-up rate, against a raw JDBC scan of the same events in the event table;</li>
 *   <li>filtered {@code GET /api/admin/logs} pages at {@code bench.connections} concurrent connections (p50, p99,
 *       requests/s), against the same page and count queries sent straight through R2DBC at the same concurrency;</li>
 *   <li>the CSV export of the whole log (rows/s), against a raw R2DBC read of the same rows, and the heap the
 *       export retains: heap used after a full GC halfway through the download minus heap used after a full GC
 *       before it.</li>
 * </ul>
 * The report goes to stdout and to target/bench/audit-log.txt.
 */
class AuditLogBenchmark {

    private static final String ADMIN_PASSWORD = "bench-admin-password";
    private static final int ACTORS = 1000;
    private static final int APPEND_BATCH = 1000;
    private static final String COLUMNS = "id, logged_at, actor, actor_role, action, target_type, target_id, outcome,"
            + " detail, source_ip, correlation_id";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private String baseUrl;
    private String admin;

    /** One filter of the list, as a query string and as the SQL the baseline sends for it. */
    record Filter(String query, String where, List<Object> binds) {
    }

    record Latencies(List<Long> nanos, long errors, double seconds) {

        double percentileMillis(int percentile) {
            List<Long> sorted = nanos.stream().sorted().toList();
            int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
            return sorted.isEmpty() ? Double.NaN : sorted.get(Math.max(0, index)) / 1e6;
        }

        double perSecond() {
            return nanos.size() / seconds;
        }
    }

    @Test
    void run() throws Exception {
        int entries = Integer.getInteger("bench.entries", 1_000_000);
        Duration phase = Duration.ofSeconds(Integer.getInteger("bench.seconds", 15));
        int connections = Integer.getInteger("bench.connections", 64);
        Path dataDir = Files.createTempDirectory("gpudash-audit-bench");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(GpuDashboardApplication.class).run(
                "--DATA_DIR=" + dataDir, "--LOG_FILE=" + dataDir.resolve("bench.log"), "--MGMT_SERVER_IP=127.0.0.1",
                "--server.port=0", "--management.server.port=0", "--ADMIN_PASSWORD=" + ADMIN_PASSWORD,
                "--gpudash.security.bcrypt-cost=4", "--logging.level.root=warn")) {
            baseUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            admin = token();
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            DatabaseClient database = app.getBean(DatabaseClient.class);
            EventStore eventStore = app.getBean(EventStore.class);
            long existing = count(jdbc);

            // 1. Generation through the event store, and the projection catching up.
            long started = System.nanoTime();
            append(eventStore, entries);
            double appendSeconds = seconds(started);
            awaitCount(jdbc, existing + entries);
            double projectedSeconds = seconds(started);
            // The other processors read the same events (and skip them); the queries are measured on a quiet system.
            awaitAllProcessorsCaughtUp(app.getBean(EventProcessingConfiguration.class), jdbc);
            long scanStart = System.nanoTime();
            long scanned = rawEventScan(jdbc);
            double scanSeconds = seconds(scanStart);

            // 2. Filtered pages at the given concurrency, through HTTP and straight through R2DBC.
            List<Filter> filters = filters(jdbc);
            runHttp(filters, connections, Duration.ofSeconds(3)); // warm-up
            Latencies httpSingle = runHttp(filters, 1, Duration.ofSeconds(3));
            Latencies rawSingle = runRaw(database, filters, 1, Duration.ofSeconds(3));
            Latencies httpPages = runHttp(filters, connections, phase);
            runRaw(database, filters, connections, Duration.ofSeconds(3));
            Latencies rawPages = runRaw(database, filters, connections, phase);

            // 3. The whole log as CSV, against a raw R2DBC read of the same rows.
            long rawStart = System.nanoTime();
            Long rawRows = database.sql("SELECT " + COLUMNS + " FROM audit_log ORDER BY logged_at DESC, seq DESC")
                    .map(row -> List.of(String.valueOf(row.get("id", String.class)),
                            String.valueOf(row.get("logged_at", java.time.LocalDateTime.class)),
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
            long csvRows = csvExport(existing + entries, heapMidway, peakHeap);
            double csvSeconds = seconds(csvStart);

            String report = String.format(Locale.ROOT, """
                            Audit log benchmark (%d cores, max heap %d MB, embedded H2, loopback)
                              entries:               %d appended as events in batches of %d (%.1f s), %d in the log
                              projection catch-up:   %.0f events/s (append to caught up, %.1f s)
                              raw event table scan:  %.0f events/s (%d rows, JDBC, payload and metadata read)
                              catch-up / raw scan:   %.3f
                              filtered pages, HTTP:  %d connections, %d requests in %.0f s, %.0f/s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, errors %d
                              same queries, R2DBC:   %d concurrent, %d queries in %.0f s, %.0f/s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, errors %d
                              p99 HTTP / R2DBC:      %.2f
                              one connection:        HTTP p50 %.1f ms, R2DBC p50 %.1f ms
                              CSV export:            %d rows in %.1f s, %.0f rows/s
                              raw R2DBC read:        %d rows in %.1f s, %.0f rows/s
                              CSV / raw R2DBC:       %.2f
                              heap during export:    %+.1f MB retained at half-way (after full GC, vs before), peak used %.0f MB
                            """,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    entries, APPEND_BATCH, appendSeconds, count(jdbc),
                    entries / projectedSeconds, projectedSeconds,
                    scanned / scanSeconds, scanned, (entries / projectedSeconds) / (scanned / scanSeconds),
                    connections, httpPages.nanos().size(), httpPages.seconds(), httpPages.perSecond(),
                    httpPages.percentileMillis(50), httpPages.percentileMillis(90), httpPages.percentileMillis(99),
                    httpPages.percentileMillis(100), httpPages.errors(),
                    connections, rawPages.nanos().size(), rawPages.seconds(), rawPages.perSecond(),
                    rawPages.percentileMillis(50), rawPages.percentileMillis(90), rawPages.percentileMillis(99),
                    rawPages.percentileMillis(100), rawPages.errors(),
                    httpPages.percentileMillis(99) / rawPages.percentileMillis(99),
                    httpSingle.percentileMillis(50), rawSingle.percentileMillis(50),
                    csvRows, csvSeconds, csvRows / csvSeconds,
                    rawRows, rawExportSeconds, rawRows / rawExportSeconds,
                    (csvRows / csvSeconds) / (rawRows / rawExportSeconds),
                    (heapMidway[0] - heapBefore) / 1048576.0, peakHeap[0] / 1048576.0);
            System.out.println(report);
            Path out = Path.of("target/bench/audit-log.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            if (csvRows != existing + entries) {
                throw new IllegalStateException("the CSV export had " + csvRows + " rows, the log " + (existing + entries));
            }
        }
    }

    /** Four kinds of audit events, spread over 1000 actors, with the metadata a request would give them. */
    private static void append(EventStore eventStore, int entries) {
        List<String> userIds = new ArrayList<>();
        for (int i = 0; i < ACTORS; i++) {
            userIds.add(UUID.randomUUID().toString());
        }
        List<EventMessage<?>> batch = new ArrayList<>(APPEND_BATCH);
        for (int i = 0; i < entries; i++) {
            int actor = (i / 4) % ACTORS;
            String username = actor(actor);
            Object payload = switch (i % 4) {
                case 0 -> new LoginFailed(username, "Wrong username or password");
                case 1 -> new LoginSucceeded(UserId.of(userIds.get(actor)), username);
                case 2 -> new AccessDenied("GET", "/api/admin/logs", 403, "Not allowed: VIEW_AUDIT");
                default -> new CommandRefused("ApproveUser", "User", userIds.get(actor), "The user is not PENDING, \"ACTIVE\"");
            };
            AuditMetadata metadata = new AuditMetadata(i % 4 == 0 ? null : userIds.get(actor), username,
                    i % 4 == 0 ? null : "REGULAR", "10.0." + (actor / 250) + "." + (actor % 250),
                    UUID.randomUUID().toString());
            batch.add(GenericEventMessage.asEventMessage(payload).andMetaData(metadata.asMap()));
            if (batch.size() == APPEND_BATCH || i == entries - 1) {
                eventStore.publish(batch);
                batch = new ArrayList<>(APPEND_BATCH);
            }
        }
    }

    private static String actor(int index) {
        return String.format(Locale.ROOT, "bench-actor-%03d", index);
    }

    /** Filters an admin would use: one actor, an actor's failures, one action's failures, one target, a time window. */
    private static List<Filter> filters(JdbcTemplate jdbc) {
        Instant newest = jdbc.queryForObject("SELECT MAX(logged_at) FROM audit_log", java.time.LocalDateTime.class)
                .toInstant(java.time.ZoneOffset.UTC);
        List<Filter> filters = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String actor = actor(i * 37 % ACTORS);
            filters.add(new Filter("actor=" + actor, "actor = ?", List.of(actor)));
            filters.add(new Filter("actor=" + actor + "&outcome=FAILURE", "actor = ? AND outcome = ?",
                    List.of(actor, "FAILURE")));
        }
        filters.add(new Filter("action=Login&outcome=FAILURE&page=3", "action = ? AND outcome = ?",
                List.of("Login", "FAILURE")));
        filters.add(new Filter("targetType=Route&targetId=/api/admin/logs", "target_type = ? AND target_id = ?",
                List.of("Route", "/api/admin/logs")));
        Instant from = newest.minusSeconds(5);
        filters.add(new Filter("outcome=DENIED&from=" + from + "&to=" + newest, "outcome = ? AND logged_at >= ? AND logged_at < ?",
                List.of("DENIED", java.time.LocalDateTime.ofInstant(from, java.time.ZoneOffset.UTC),
                        java.time.LocalDateTime.ofInstant(newest, java.time.ZoneOffset.UTC))));
        return filters;
    }

    private Latencies runHttp(List<Filter> filters, int connections, Duration duration) throws Exception {
        return closedLoop(connections, duration, index -> {
            Filter filter = filters.get(index % filters.size());
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/admin/logs?size=50&" + filter.query()))
                    .header("Authorization", "Bearer " + admin).timeout(Duration.ofSeconds(30)).GET().build();
            return () -> {
                try {
                    return http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            };
        });
    }

    /** The page and the count the endpoint sends for a filter, through the same R2DBC pool, without HTTP or JSON. */
    private static Latencies runRaw(DatabaseClient database, List<Filter> filters, int connections, Duration duration)
            throws Exception {
        return closedLoop(connections, duration, index -> {
            Filter filter = filters.get(index % filters.size());
            int offset = filter.query().contains("page=3") ? 150 : 0;
            return () -> {
                DatabaseClient.GenericExecuteSpec page = database.sql("SELECT " + COLUMNS + " FROM audit_log WHERE "
                        + filter.where() + " ORDER BY logged_at DESC, seq DESC LIMIT 50 OFFSET " + offset);
                DatabaseClient.GenericExecuteSpec count = database.sql("SELECT COUNT(*) AS total FROM audit_log WHERE "
                        + filter.where());
                for (int i = 0; i < filter.binds().size(); i++) {
                    page = page.bind(i, filter.binds().get(i));
                    count = count.bind(i, filter.binds().get(i));
                }
                try {
                    List<String> ids = page.map(row -> row.get("id", String.class)).all().collectList().block();
                    Object total = count.map(row -> row.get("total")).one().block();
                    return ids != null && total != null;
                } catch (RuntimeException e) {
                    return false; // counted as an error, like a failed HTTP call (a pool timeout, say)
                }
            };
        });
    }

    interface Call {
        Supplier<Boolean> of(int index);
    }

    /** Each of {@code workers} threads sends its next call as soon as the last one answered, for the duration. */
    private static Latencies closedLoop(int workers, Duration duration, Call calls) throws Exception {
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        AtomicLong next = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        Supplier<Boolean> call = calls.of((int) next.getAndIncrement());
                        long sent = System.nanoTime();
                        boolean ok = call.get();
                        nanos.add(System.nanoTime() - sent);
                        if (!ok) {
                            errors.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Latencies(new ArrayList<>(nanos), errors.get(), seconds(start));
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

    private static void awaitCount(JdbcTemplate jdbc, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (count(jdbc) < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the audit projection did not catch up: " + count(jdbc) + " of " + expected);
            }
            Thread.sleep(200);
        }
    }

    private static void awaitAllProcessorsCaughtUp(EventProcessingConfiguration processing, JdbcTemplate jdbc)
            throws InterruptedException {
        long maxGlobalIndex = jdbc.queryForObject("SELECT MAX(globalIndex) FROM DomainEventEntry", Long.class);
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (!processing.eventProcessors().values().stream()
                .filter(TrackingEventProcessor.class::isInstance)
                .map(TrackingEventProcessor.class::cast)
                .allMatch(processor -> !processor.processingStatus().isEmpty()
                        && processor.processingStatus().values().stream().allMatch(status -> status.isCaughtUp()
                        && status.getCurrentPosition().orElse(-1) >= maxGlobalIndex))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the event processors did not catch up");
            }
            Thread.sleep(200);
        }
    }

    private static long count(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_log", Long.class);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private String token() throws Exception {
        HttpRequest login = HttpRequest.newBuilder(URI.create(baseUrl + "/api/login"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"gpuadmin\",\"password\":\"" + ADMIN_PASSWORD + "\"}"))
                .build();
        String body = http.send(login, HttpResponse.BodyHandlers.ofString()).body();
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(body);
        if (!token.find()) {
            throw new IllegalStateException("login failed: " + body);
        }
        return token.group(1);
    }

}
