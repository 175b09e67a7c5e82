package com.gpudash.infra.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.gpudash.api.user.CreateUser;
import com.gpudash.api.user.PasswordHash;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.UpdateUser;
import com.gpudash.api.user.UserCreated;
import com.gpudash.api.user.UserProfileUpdated;
import com.gpudash.api.user.UserId;
import com.gpudash.infra.GpuDashboardApplication;
import com.gpudash.query.replay.ProjectionReplay;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.TestServices;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How fast the read models are rebuilt from the event store, in events per second, against a raw scan of the
 * same event table (every row's payload and metadata read over JDBC, nothing deserialized or written) measured in
 * the same run: each projection rebuilt alone, then all of them at once (what {@code POST
 * /api/admin/projections/replay} does by default). The history is made through the normal command path: admins'
 * CreateUser and profile updates, so the users and audit projections write a row per event and the others read
 * past them.
 * <p>
 * MariaDB by default (what deployments run), {@code -Dbench.db=h2} for the embedded database;
 * {@code -Dbench.commands=N} sets the size (default 50,000: CreateUser and UpdateUser (the full name) for 25,000 users, one
 * event each). {@code -Dbench.database=NAME} keeps the MariaDB database NAME after the run and reuses it in the next
 * one, adding history only when it holds fewer users than asked: making the history takes far longer than
 * rebuilding from it. {@code -Dbench.appended=N} adds N more events (the same two per user) appended to the event
 * store in batches as the User aggregate's events, without the command path (about 50 times faster to make), for
 * stores of a million events. Run with bench/replay.sh.
 * <p>
 * Before anything is timed, all projections are rebuilt once: a first rebuild in a new JVM runs mostly in the
 * interpreter and the JIT compiler's threads take a core of their own, and a rebuild of a million events, the
 * case that matters, runs compiled code nearly all the time. {@code -Dbench.warmup=false} skips it.
 * {@code -Dbench.buffer-pool-mb=M} sets MariaDB's InnoDB buffer pool (server-wide) to M MB for the run and puts it
 * back afterwards: a store of a million events and its read models are about 2 GB, and Debian's default pool is
 * 128 MB.
 */
public final class ReplayBenchmark {

    private static final PasswordHash HASH = new PasswordHash("$2a$04$abcdefghijklmnopqrstuuN3bGgKx0BbVn3vB5n6bR3wWpYvQx3yS");
    private static final String BENCH_USERS = "SELECT COUNT(*) FROM users_view WHERE full_name LIKE 'Bench User %'";

    public static void main(String[] args) {
        int status = 1;
        try {
            run();
            status = 0;
        } catch (Throwable failure) {
            failure.printStackTrace();
        } finally {
            // Axon's handler-timeout janitor is a non-daemon thread that outlives the application context: without
            // an explicit exit the finished benchmark would never return.
            System.exit(status);
        }
    }

    private static void run() throws Exception {
        int users = Integer.getInteger("bench.commands", 50_000) / 2;
        int appendedUsers = Integer.getInteger("bench.appended", 0) / 2;
        boolean h2 = "h2".equalsIgnoreCase(System.getProperty("bench.db", "mariadb"));
        String kept = System.getProperty("bench.database");
        Path data = Files.createTempDirectory("gpudash-bench-replay");
        String database = kept != null ? kept : "gpudash_test_bench_replay_" + UUID.randomUUID().toString().substring(0, 8);
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                "--DATA_DIR=" + data, "--LOG_FILE=" + data.resolve("bench.log"), "--WORKDIR_DEPLOY=/tmp",
                "--TELEMETRY_INTERVAL=1h"));
        if (!h2) {
            arguments.addAll(List.of("--DB_HOST=" + TestServices.dbHost(), "--DB_PORT=" + TestServices.dbPort(),
                    "--DB_USER=" + TestServices.dbUser(), "--DB_PASSWORD=" + TestServices.dbPassword(),
                    "--DB_NAME=" + database));
        }
        Runnable restoreBufferPool = () -> { };
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(GpuDashboardApplication.class)
                .run(arguments.toArray(String[]::new))) {
            CommandGateway commands = app.getBean(CommandGateway.class);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            long present = jdbc.queryForObject(BENCH_USERS, Long.class);
            long madeIn = makeHistory(commands, (int) Math.max(0, users - present));
            long appendedIn = appendHistory(app.getBean(EventStore.class), (int) Math.max(0, users + appendedUsers
                    - Math.max(present, users)));
            users += appendedUsers;
            awaitUsers(jdbc, users);
            long events = jdbc.queryForObject("SELECT COUNT(*) FROM DomainEventEntry", Long.class);

            // The raw scan takes a fraction of a second, so one stall of a busy machine would halve it: the best of
            // five, after one that warms the database's caches as the replay's own first pass would.
            long scannedBytes = scan(app.getBean(DataSource.class));
            long scanNanos = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                scan(app.getBean(DataSource.class));
                scanNanos = Math.min(scanNanos, System.nanoTime() - started);
            }
            double scanRate = events / (scanNanos / 1e9);

            System.out.printf("%nReplay benchmark on %s: %d events (%d users created and updated; %d through"
                    + " commands in this run in %.1f s, %d appended to the store in this run in %.1f s); load average"
                    + " %.2f%n", h2 ? "H2" : "MariaDB", events, jdbc.queryForObject(BENCH_USERS, Long.class),
                    Math.max(0, users - appendedUsers - present), madeIn / 1e9,
                    Math.max(0, users - Math.max(present, users - appendedUsers)), appendedIn / 1e9, loadAverage());
            System.out.printf("  raw scan of DomainEventEntry (best of 5): %.2f s, %.0f events/s, %.1f MB read%n",
                    scanNanos / 1e9, scanRate, scannedBytes / 1e6);

            Long bufferPoolMegabytes = Long.getLong("bench.buffer-pool-mb");
            if (!h2 && bufferPoolMegabytes != null) {
                // Server-wide and resized online; put back as it was when the run ends.
                long before = jdbc.queryForObject("SELECT @@innodb_buffer_pool_size", Long.class);
                jdbc.execute("SET GLOBAL innodb_buffer_pool_size = " + bufferPoolMegabytes * 1024 * 1024);
                restoreBufferPool = () -> jdbc.execute("SET GLOBAL innodb_buffer_pool_size = " + before);
            }
            if (!h2) {
                System.out.printf("  read models and event store: %.0f MB of tables and indexes; InnoDB buffer pool"
                        + " %.0f MB (shared with every database on the server)%n", databaseMegabytes(jdbc),
                        jdbc.queryForObject("SELECT @@innodb_buffer_pool_size", Long.class) / 1e6);
            }
            ProjectionReplay replay = app.getBean(ProjectionReplay.class);
            try {
                if (Boolean.parseBoolean(System.getProperty("bench.warmup", "true"))) {
                    System.out.println("  warm-up (not counted):");
                    report(replay, replay.projections(), scanRate, jdbc, h2);
                }
                for (String projection : replay.projections()) {
                    report(replay, List.of(projection), scanRate, jdbc, h2);
                }
                report(replay, replay.projections(), scanRate, jdbc, h2);
            } finally {
                restoreBufferPool.run();
            }
            long rowsAfter = jdbc.queryForObject(BENCH_USERS, Long.class);
            System.out.printf("  bench users in users_view after the rebuilds: %d (expected %d); load average %.2f%n",
                    rowsAfter, users, loadAverage());
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        if (!h2 && kept == null) {
            try (Connection connection = DriverManager.getConnection("jdbc:mariadb://" + TestServices.dbHost()
                    + ":" + TestServices.dbPort() + "/", TestServices.dbUser(), TestServices.dbPassword())) {
                connection.createStatement().execute("DROP DATABASE " + database);
            }
        }
    }

    /**
     * Rebuilds {@code projections} and prints the rate. On MariaDB also the pages InnoDB had to read from disk
     * meanwhile (a server-wide counter): once the tables a rebuild writes outgrow the buffer pool, every row written
     * under a random key (a UUID) costs a disk read, and the rebuild slows down per event as the store grows.
     */
    private static void report(ProjectionReplay replay, List<String> projections, double scanRate, JdbcTemplate jdbc,
                               boolean h2) throws InterruptedException {
        // A kept database may hold a rebuild that was stopped midway; the start finishes it first.
        Eventually.await(() -> "the rebuild resumed at start to finish", Duration.ofMinutes(30), Duration.ofMillis(100),
                () -> replay.begin() ? Optional.of(true) : Optional.empty());
        long diskReads = h2 ? 0 : bufferPoolDiskReads(jdbc);
        ProjectionReplay.Outcome outcome = replay.replay(projections);
        diskReads = h2 ? 0 : bufferPoolDiskReads(jdbc) - diskReads;
        double rate = outcome.events() / outcome.seconds();
        String what = projections.size() == 1 ? projections.get(0) + " alone" : "all " + projections.size() + " at once";
        System.out.printf("  rebuild of %-34s %7.2f s %9.0f events/s   ratio to the raw scan %.4f%s%n", what + ":",
                outcome.seconds(), rate, rate / scanRate, h2 ? "" : String.format("   %d pages read from disk",
                        diskReads));
    }

    private static long bufferPoolDiskReads(JdbcTemplate jdbc) {
        return jdbc.query("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_reads'", (row, n) -> row.getLong(2)).get(0);
    }

    private static double databaseMegabytes(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT SUM(data_length + index_length) FROM information_schema.TABLES"
                + " WHERE table_schema = DATABASE()", Long.class) / 1e6;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Up to 64 commands in flight, as many admins' requests would be. */
    private static long makeHistory(CommandGateway commands, int users) throws InterruptedException {
        long started = System.nanoTime();
        Semaphore inFlight = new Semaphore(64);
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            inFlight.acquire();
            UserId id = UserId.random();
            String username = "b" + run + "-" + i;
            String fullName = "Bench User " + i;
            CompletableFuture<?> done = commands.send(new CreateUser(id, username, username + "@bench.example", null,
                            Role.REGULAR, HASH))
                    .thenCompose(created -> commands.send(new UpdateUser(id, null, fullName, null, null)))
                    .whenComplete((result, failure) -> inFlight.release());
            pending.add(done);
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        return System.nanoTime() - started;
    }

    /** The events {@link #makeHistory} leads to, appended as the User aggregates' own events, 1,000 per commit. */
    private static long appendHistory(EventStore eventStore, int users) {
        long started = System.nanoTime();
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<EventMessage<?>> batch = new ArrayList<>(1000);
        for (int i = 0; i < users; i++) {
            String id = UserId.random().value();
            String username = "a" + run + "-" + i;
            batch.add(new GenericDomainEventMessage<>("User", id, 0, new UserCreated(UserId.of(id), username,
                    username + "@bench.example", null, Role.REGULAR)));
            batch.add(new GenericDomainEventMessage<>("User", id, 1, new UserProfileUpdated(UserId.of(id), null,
                    "Bench User " + i)));
            if (batch.size() >= 1000 || i == users - 1) {
                eventStore.publish(batch);
                batch = new ArrayList<>(1000);
            }
        }
        return System.nanoTime() - started;
    }

    private static void awaitUsers(JdbcTemplate jdbc, int users) {
        Eventually.await(() -> users + " users in the read model", Duration.ofMinutes(30), Duration.ofMillis(200),
                () -> Optional.of(jdbc.queryForObject(BENCH_USERS, Long.class)).filter(count -> count >= users));
    }

    private static long scan(DataSource dataSource) throws Exception {
        long bytes = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT globalIndex, payloadType, payload, metaData FROM DomainEventEntry ORDER BY globalIndex")) {
                query.setFetchSize(1000);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        bytes += 8 + rows.getString(2).length() + rows.getBytes(3).length + rows.getBytes(4).length;
                    }
                }
            }
            connection.commit();
        }
        return bytes;
    }
}
