package com.gpudash.infra.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.gpudash.api.user.CreateUser;
import com.gpudash.api.user.PasswordHash;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.UpdateUser;
import com.gpudash.api.user.UserId;
import com.gpudash.api.user.UserProfileUpdated;
import com.gpudash.infra.GpuDashboardApplication;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.TestServices;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The command path at load, and the time one command takes as its aggregate's stream grows. Not part of the test
 * suite (the name does not end in Test); run it on purpose with bench/commands.sh, or:
 * <pre>
 * mvn -o -q -pl infra -am verify -Dtest=CommandPathBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none
 *     [-Dbench.clients=16] [-Dbench.seconds=15] [-Dbench.warmup=5] [-Dbench.events=100000]
 * </pre>
 * It starts the application on a fresh MariaDB database (dropped at the end) and measures, in one run:
 * <ul>
 *   <li>profile updates ({@code UpdateUser} of the full name, one event each) at {@code bench.clients} concurrent clients,
 *       each on a user of its own: through the command gateway, and as {@code PUT /api/admin/users/{id}} with an
 *       admin's token (which also reads the account before and after the command; {@code GET} of the same user
 *       shows what the HTTP path costs without a command); against a raw JDBC loop at the
 *       same concurrency doing what a command minimally needs: select the aggregate's last sequence number, insert
 *       one event row, commit (a copy of the event table, the same pool);</li>
 *   <li>read-your-writes: one client sends {@code PUT /api/admin/users/{id}} and reads the user back at once, on a
 *       quiet system and while the gateway takes {@code bench.rate} (200) commands/s for other users: the time from
 *       the write's answer to the first read that shows it, and how many reads did not show it;</li>
 *   <li>one command on a user with {@code bench.events} events (appended through the event store in batches, as
 *       a long life would leave them) against one on a user with 10: the first command on each, the median of
 *       the following ones, and the median when the aggregate caches are emptied before each command (the cost
 *       of loading from the store alone).</li>
 * </ul>
 * The report goes to stdout and to target/bench/command-path.txt.
 */
class CommandPathBenchmark {

    private static final String ADMIN_PASSWORD = "bench-admin-password";
    private static final PasswordHash HASH = new PasswordHash("$2a$04$abcdefghijklmnopqrstuuN3bGgKx0BbVn3vB5n6bR3wWpYvQx3yS");
    private static final int APPEND_BATCH = 1000;
    private static final int SAMPLES = 30;
    /** The sampling of one aggregate stops after this, so that a slow configuration still ends. */
    private static final Duration SAMPLING_LIMIT = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code cpuNanos}: the CPU time this JVM (application, benchmark clients and JDBC driver) used meanwhile. */
    record Latencies(List<Long> nanos, long errors, double seconds, long cpuNanos) {

        double percentileMillis(int percentile) {
            List<Long> sorted = nanos.stream().sorted().toList();
            int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
            return sorted.isEmpty() ? Double.NaN : sorted.get(Math.max(0, index)) / 1e6;
        }

        double perSecond() {
            return nanos.size() / seconds;
        }

        String summary() {
            return String.format(Locale.ROOT, "%6.0f/s  (%d in %.1f s, p50 %.1f ms, p99 %.1f ms, errors %d;"
                            + " JVM CPU %.2f ms per call)", perSecond(), nanos.size(), seconds, percentileMillis(50),
                    percentileMillis(99), errors, cpuNanos / 1e6 / Math.max(1, nanos.size()));
        }
    }

    interface Call {
        /** One call of worker {@code worker}, its {@code n}-th; false if it failed. */
        boolean run(int worker, long n) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        new CommandPathBenchmark().run();
        System.exit(0); // the application's non-daemon threads are gone with the context; this is for the pools
    }

    @Test
    void run() throws Exception {
        int clients = Integer.getInteger("bench.clients", 16);
        Duration phase = Duration.ofSeconds(Integer.getInteger("bench.seconds", 15));
        int longStream = Integer.getInteger("bench.events", 100_000);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Path data = Files.createTempDirectory("gpudash-bench-commands");
        String database = "gpudash_test_bench_commands_" + UUID.randomUUID().toString().substring(0, 8);
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(GpuDashboardApplication.class).run(
                "--server.port=0", "--management.server.port=0", "--DATA_DIR=" + data,
                "--LOG_FILE=" + data.resolve("bench.log"), "--WORKDIR_DEPLOY=/tmp", "--TELEMETRY_INTERVAL=1h",
                "--RECONCILE_INTERVAL=1h", "--ADMIN_PASSWORD=" + ADMIN_PASSWORD, "--gpudash.security.bcrypt-cost=4",
                "--logging.level.root=warn",
                "--DB_HOST=" + TestServices.dbHost(), "--DB_PORT=" + TestServices.dbPort(),
                "--DB_USER=" + TestServices.dbUser(), "--DB_PASSWORD=" + TestServices.dbPassword(),
                "--DB_NAME=" + database)) {
            String baseUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            String admin = token(baseUrl);
            CommandGateway commands = app.getBean(CommandGateway.class);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            DataSource dataSource = app.getBean(DataSource.class);
            List<Cache> caches = List.copyOf(app.getBeansOfType(Cache.class).values());

            List<UserId> users = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                users.add(createUser(commands, "cbench-" + i));
            }
            jdbc.execute("CREATE TABLE bench_raw_event LIKE DomainEventEntry");
            byte[] payload = "{\"userId\":\"00000000-0000-0000-0000-000000000000\",\"email\":null,\"fullName\":\"Bench 1\"}"
                    .getBytes(StandardCharsets.UTF_8);
            byte[] metaData = "{\"traceId\":\"x\",\"correlationId\":\"y\"}".getBytes(StandardCharsets.UTF_8);

            Call raw = (worker, n) -> rawCommand(dataSource, "raw-" + worker, payload, metaData);
            Call gateway = (worker, n) -> {
                commands.sendAndWait(new UpdateUser(users.get(worker), null, "Gateway " + n, null, null));
                return true;
            };
            Call viaHttp = (worker, n) -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/admin/users/" + users.get(worker).value()))
                        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"fullName\":\"Http " + n + "\"}")).build();
                return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            };
            // The same HTTP client, session check and JSON answer without a command: what HTTP alone costs.
            Call readViaHttp = (worker, n) -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/admin/users/" + users.get(worker).value()))
                        .header("Authorization", "Bearer " + admin).timeout(Duration.ofSeconds(30)).GET().build();
                return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            };

            // Each side warmed up first (the JIT compiles the paths), then measured; the raw loop again at the end
            // shows how much the machine drifted meanwhile.
            Duration warmUp = Duration.ofSeconds(Integer.getInteger("bench.warmup", 5));
            closedLoop(clients, warmUp, raw);
            Latencies rawFirst = closedLoop(clients, phase, raw);
            closedLoop(clients, warmUp, gateway);
            Latencies gatewayRun = closedLoop(clients, phase, gateway);
            closedLoop(clients, warmUp, viaHttp);
            Latencies httpRun = closedLoop(clients, phase, viaHttp);
            closedLoop(clients, warmUp, readViaHttp);
            Latencies readRun = closedLoop(clients, phase, readViaHttp);
            Latencies rawLast = closedLoop(clients, phase, raw);
            double rawRate = (rawFirst.perSecond() + rawLast.perSecond()) / 2;
            awaitProcessorsCaughtUp(app.getBean(EventProcessingConfiguration.class), jdbc);

            // Read-your-writes: one client writes and reads back at once, first on a quiet system, then while the
            // gateway takes a steady bench.rate commands/s on the other users.
            int rate = Integer.getInteger("bench.rate", 200);
            UserId reader = createUser(commands, "cbench-reader");
            Visibility quiet = writeThenRead(baseUrl, admin, reader, phase);
            Visibility underLoad;
            ScheduledExecutorService pacer = Executors.newScheduledThreadPool(4);
            AtomicLong paced = new AtomicLong();
            long loadStart = System.nanoTime();
            try {
                pacer.scheduleAtFixedRate(() -> {
                    long n = paced.getAndIncrement();
                    try {
                        commands.sendAndWait(new UpdateUser(users.get((int) (n % users.size())), null,
                                "Paced " + n, null, null));
                    } catch (RuntimeException ignored) {
                        // counted by what was sent; a refusal here changes nothing measured
                    }
                }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
                underLoad = writeThenRead(baseUrl, admin, reader, phase);
            } finally {
                pacer.shutdownNow();
            }
            double pacedRate = paced.get() / seconds(loadStart);
            awaitProcessorsCaughtUp(app.getBean(EventProcessingConfiguration.class), jdbc);

            // One short and one long stream, then one client's commands on each.
            UserId shortUser = createUser(commands, "cbench-short");
            for (int i = 1; i < 10; i++) {
                commands.sendAndWait(new UpdateUser(shortUser, null, "Short " + i, null, null));
            }
            UserId longUser = createUser(commands, "cbench-long");
            long appendStart = System.nanoTime();
            appendProfileUpdates(app.getBean(EventStore.class), longUser, longStream - 1);
            double appendSeconds = seconds(appendStart);
            caches.forEach(Cache::removeAll); // the appends went around the repositories
            awaitProcessorsCaughtUp(app.getBean(EventProcessingConfiguration.class), jdbc);

            double shortFirst = timeOne(commands, shortUser, "first");
            double longFirst = timeOne(commands, longUser, "first");
            List<Double> shortSamples = sample(commands, shortUser, "warm", () -> { });
            List<Double> longSamples = sample(commands, longUser, "warm", () -> { });
            List<Double> shortLoads = sample(commands, shortUser, "load", () -> caches.forEach(Cache::removeAll));
            List<Double> longLoads = sample(commands, longUser, "load", () -> caches.forEach(Cache::removeAll));
            long snapshots = jdbc.queryForObject("SELECT COUNT(*) FROM SnapshotEventEntry", Long.class);
            double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

            String report = String.format(Locale.ROOT, """
                            Command path benchmark (%d cores, max heap %d MB, MariaDB, loopback; load average %.2f before, %.2f after)
                              %d concurrent clients, %d s per phase, each client on a user of its own
                              raw JDBC select+insert+commit:  %s
                                        (again, at the end):  %s
                              command gateway UpdateUser:     %s
                              HTTP PUT /api/admin/users/{id}: %s
                              HTTP GET /api/admin/users/{id}: %s
                              gateway / raw JDBC:             %.2f
                              HTTP / raw JDBC:                %.2f
                            read-your-writes: PUT /api/admin/users/{id}, then GET of it at once (one client)
                              quiet:                          %s
                              beside %.0f commands/s:         %s
                            one command (UpdateUser, one client) on a user with %d events vs one with 10
                              (the long stream appended through the event store in %.1f s; %d snapshot(s) stored at the end)
                              first command (replays it all): %.1f ms vs %.1f ms, ratio %.2f
                              median of the next ones:        %.2f ms vs %.2f ms, ratio %.2f (%d and %d samples)
                              median, caches emptied first:   %.2f ms vs %.2f ms, ratio %.2f (%d and %d samples; %d cache(s))
                            """,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, loadBefore,
                    loadAfter, clients, phase.toSeconds(), rawFirst.summary(), rawLast.summary(),
                    gatewayRun.summary(), httpRun.summary(), readRun.summary(), gatewayRun.perSecond() / rawRate,
                    httpRun.perSecond() / rawRate,
                    quiet.summary(), pacedRate, underLoad.summary(),
                    longStream, appendSeconds, snapshots,
                    longFirst, shortFirst, longFirst / shortFirst,
                    median(longSamples), median(shortSamples), median(longSamples) / median(shortSamples),
                    longSamples.size(), shortSamples.size(),
                    median(longLoads), median(shortLoads), median(longLoads) / median(shortLoads),
                    longLoads.size(), shortLoads.size(), caches.size());
            System.out.println(report);
            Path out = Path.of("target/bench/command-path.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            try (Connection connection = DriverManager.getConnection("jdbc:mariadb://" + TestServices.dbHost() + ":"
                    + TestServices.dbPort() + "/", TestServices.dbUser(), TestServices.dbPassword())) {
                connection.createStatement().execute("DROP DATABASE IF EXISTS " + database);
            }
        }
    }

    /**
     * Write then read, in a loop, for the duration: the time from the write's answer to the answer of the first read
     * that shows it, and how many reads did not show it yet (read-your-writes says none).
     */
    record Visibility(List<Long> nanos, long staleReads, long errors) {

        String summary() {
            List<Long> sorted = nanos.stream().sorted().toList();
            double p50 = sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2) / 1e6;
            double p99 = sorted.isEmpty() ? Double.NaN
                    : sorted.get(Math.max(0, (int) Math.ceil(0.99 * sorted.size()) - 1)) / 1e6;
            return String.format(Locale.ROOT, "write -> visible p50 %.1f ms, p99 %.1f ms over %d writes;"
                    + " reads that did not show the write yet: %d; errors %d", p50, p99, nanos.size(), staleReads,
                    errors);
        }
    }

    private Visibility writeThenRead(String baseUrl, String admin, UserId user, Duration duration) throws Exception {
        List<Long> nanos = new ArrayList<>();
        long stale = 0;
        long errors = 0;
        URI uri = URI.create(baseUrl + "/api/admin/users/" + user.value());
        long end = System.nanoTime() + duration.toNanos();
        for (long n = 0; System.nanoTime() < end; n++) {
            String fullName = "Visible " + n;
            HttpRequest write = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"fullName\":\"" + fullName + "\"}")).build();
            if (http.send(write, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                errors++;
                continue;
            }
            long written = System.nanoTime();
            HttpRequest read = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + admin)
                    .timeout(Duration.ofSeconds(30)).GET().build();
            while (true) {
                HttpResponse<String> answer = http.send(read, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && answer.body().contains("\"fullName\":\"" + fullName + "\"")) {
                    nanos.add(System.nanoTime() - written);
                    break;
                }
                stale++;
                if (System.nanoTime() - written > Duration.ofSeconds(10).toNanos()) {
                    errors++;
                    break;
                }
            }
        }
        return new Visibility(nanos, stale, errors);
    }

    private static UserId createUser(CommandGateway commands, String username) {
        UserId id = UserId.random();
        commands.sendAndWait(new CreateUser(id, username, username + "@bench.example", "Bench", Role.REGULAR, HASH));
        return id;
    }

    /** What a command minimally does in the database: read where its aggregate is, append one event, commit. */
    private static boolean rawCommand(DataSource dataSource, String aggregate, byte[] payload, byte[] metaData)
            throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            long next;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT MAX(sequenceNumber) FROM bench_raw_event WHERE aggregateIdentifier = ?")) {
                select.setString(1, aggregate);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    long last = row.getLong(1);
                    next = row.wasNull() ? 0 : last + 1;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO bench_raw_event (aggregateIdentifier,"
                    + " sequenceNumber, type, eventIdentifier, metaData, payload, payloadRevision, payloadType, timeStamp)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, aggregate);
                insert.setLong(2, next);
                insert.setString(3, "User");
                insert.setString(4, UUID.randomUUID().toString());
                insert.setBytes(5, metaData);
                insert.setBytes(6, payload);
                insert.setString(7, null);
                insert.setString(8, UserProfileUpdated.class.getName());
                insert.setString(9, Instant.now().toString());
                insert.executeUpdate();
            }
            connection.commit();
            return true;
        }
    }

    /** Events 1 to {@code count} of the user's stream, as a long life of profile changes would have left them. */
    private static void appendProfileUpdates(EventStore eventStore, UserId user, int count) {
        List<EventMessage<?>> batch = new ArrayList<>(APPEND_BATCH);
        for (int sequence = 1; sequence <= count; sequence++) {
            batch.add(new GenericDomainEventMessage<>("User", user.value(), sequence,
                    new UserProfileUpdated(user, null, "Long " + sequence)));
            if (batch.size() == APPEND_BATCH || sequence == count) {
                eventStore.publish(batch);
                batch = new ArrayList<>(APPEND_BATCH);
            }
        }
    }

    private static final AtomicLong NAMES = new AtomicLong();

    /** Milliseconds, or NaN for a command that failed (a load that ran past the command's time limit, say). */
    private static double timeOne(CommandGateway commands, UserId user, String label) {
        long start = System.nanoTime();
        try {
            commands.sendAndWait(new UpdateUser(user, null, label + " " + NAMES.incrementAndGet(), null, null));
        } catch (RuntimeException failure) {
            System.err.println("a command on " + user + " failed after " + (System.nanoTime() - start) / 1_000_000
                    + " ms: " + failure);
            return Double.NaN;
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static List<Double> sample(CommandGateway commands, UserId user, String label, Runnable before) {
        List<Double> millis = new ArrayList<>();
        long deadline = System.nanoTime() + SAMPLING_LIMIT.toNanos();
        while (millis.size() < SAMPLES && System.nanoTime() < deadline) {
            before.run();
            millis.add(timeOne(commands, user, label));
        }
        return millis;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Each of {@code workers} threads sends its next call as soon as the last one answered, for the duration. */
    private static Latencies closedLoop(int workers, Duration duration, Call call) throws Exception {
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                running.add(pool.submit(() -> {
                    long n = 0;
                    while (System.nanoTime() < end) {
                        long sent = System.nanoTime();
                        boolean ok;
                        try {
                            ok = call.run(worker, n++);
                        } catch (Exception e) {
                            ok = false;
                        }
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
        return new Latencies(new ArrayList<>(nanos), errors.get(), seconds(start), processCpuNanos() - cpuStart);
    }

    /** The tracking processors read every event written; the next phase is measured on a quiet system. */
    private static void awaitProcessorsCaughtUp(EventProcessingConfiguration processing, JdbcTemplate jdbc) {
        long head = jdbc.queryForObject("SELECT MAX(globalIndex) FROM DomainEventEntry", Long.class);
        Eventually.await(() -> "the event processors to catch up", Duration.ofMinutes(15), Duration.ofMillis(200),
                () -> Optional.of(true).filter(all -> processing.eventProcessors().values().stream()
                        .filter(TrackingEventProcessor.class::isInstance)
                        .map(TrackingEventProcessor.class::cast)
                        .allMatch(processor -> !processor.processingStatus().isEmpty()
                                && processor.processingStatus().values().stream().allMatch(status -> status.isCaughtUp()
                                && status.getCurrentPosition().orElse(-1) >= head))));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private String token(String baseUrl) throws Exception {
        HttpRequest login = HttpRequest.newBuilder(URI.create(baseUrl + "/api/login"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"gpuadmin\",\"password\":\"" + ADMIN_PASSWORD
                        + "\"}"))
                .build();
        String body = http.send(login, HttpResponse.BodyHandlers.ofString()).body();
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(body);
        if (!token.find()) {
            throw new IllegalStateException("login failed: " + body);
        }
        return token.group(1);
    }
}
