package com.gpudash.infra.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import javax.sql.DataSource;

import com.gpudash.api.user.CreateUser;
import com.gpudash.api.user.PasswordHash;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.UpdateUserProfile;
import com.gpudash.api.user.UserId;
import com.gpudash.infra.GpuDashboardApplication;
import com.gpudash.infra.replay.ProjectionReplay;
import com.gpudash.testsupport.TestServices;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How fast the read models are rebuilt from the event store, in events per second, against a raw scan of the
 * same event table (every row's payload and metadata read over JDBC, nothing deserialized or written) measured in
 * the same run. The history is made through the normal command path: admins' CreateUser and profile updates, so
 * the users projection writes a row per event. MariaDB by default (what deployments run), {@code -Dbench.db=h2}
 * for the embedded database; {@code -Dbench.commands=N} sets the size (default 50,000: CreateUser and
 * UpdateUserProfile for 25,000 users, one event each). Run with bench/replay.sh.
 */
public final class ReplayBenchmark {

    private static final PasswordHash HASH = new PasswordHash("$2a$04$abcdefghijklmnopqrstuuN3bGgKx0BbVn3vB5n6bR3wWpYvQx3yS");

    public static void main(String[] args) throws Exception {
        int users = Integer.getInteger("bench.commands", 50_000) / 2;
        boolean h2 = "h2".equalsIgnoreCase(System.getProperty("bench.db", "mariadb"));
        Path data = Files.createTempDirectory("gpudash-bench-replay");
        String database = "gpudash_test_bench_replay_" + UUID.randomUUID().toString().substring(0, 8);
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                "--DATA_DIR=" + data, "--LOG_FILE=" + data.resolve("bench.log"), "--WORKDIR_DEPLOY=/tmp",
                "--TELEMETRY_INTERVAL=1h"));
        if (!h2) {
            arguments.addAll(List.of("--DB_HOST=" + TestServices.dbHost(), "--DB_PORT=" + TestServices.dbPort(),
                    "--DB_USER=" + TestServices.dbUser(), "--DB_PASSWORD=" + TestServices.dbPassword(),
                    "--DB_NAME=" + database));
        }
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(GpuDashboardApplication.class)
                .run(arguments.toArray(String[]::new))) {
            CommandGateway commands = app.getBean(CommandGateway.class);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            long madeIn = makeHistory(commands, users);
            awaitUsers(jdbc, users);
            long events = jdbc.queryForObject("SELECT COUNT(*) FROM DomainEventEntry", Long.class);

            // Raw scan twice, the first warming the database's caches, like the replay's own first pass would.
            scan(app.getBean(DataSource.class));
            long scanNanos = System.nanoTime();
            long scannedBytes = scan(app.getBean(DataSource.class));
            scanNanos = System.nanoTime() - scanNanos;

            ProjectionReplay replay = app.getBean(ProjectionReplay.class);
            if (!replay.begin()) {
                throw new IllegalStateException("a replay is already running");
            }
            ProjectionReplay.Outcome outcome = replay.replay(replay.projections());
            long rowsAfter = jdbc.queryForObject("SELECT COUNT(*) FROM users_view", Long.class);

            double scanRate = events / (scanNanos / 1e9);
            double replayRate = outcome.events() / outcome.seconds();
            System.out.printf("%nReplay benchmark on %s: %d events (%d users created and updated through commands"
                    + " in %.1f s)%n", h2 ? "H2" : "MariaDB", events, users, madeIn / 1e9);
            System.out.printf("  raw scan of DomainEventEntry: %.2f s, %.0f events/s, %.1f MB read%n",
                    scanNanos / 1e9, scanRate, scannedBytes / 1e6);
            System.out.printf("  rebuild of %s: %.2f s, %.0f events/s%n", outcome.projections(), outcome.seconds(),
                    replayRate);
            System.out.printf("  ratio rebuild rate / raw scan rate: %.3f%n", replayRate / scanRate);
            System.out.printf("  users_view rows after the rebuild: %d (expected at least %d)%n", rowsAfter, users);
        }
        try (java.util.stream.Stream<Path> files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        if (!h2) {
            try (Connection connection = java.sql.DriverManager.getConnection("jdbc:mariadb://" + TestServices.dbHost()
                    + ":" + TestServices.dbPort() + "/", TestServices.dbUser(), TestServices.dbPassword())) {
                connection.createStatement().execute("DROP DATABASE " + database);
            }
        }
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
                    .thenCompose(created -> commands.send(new UpdateUserProfile(id, null, fullName)))
                    .whenComplete((result, failure) -> inFlight.release());
            pending.add(done);
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        return System.nanoTime() - started;
    }

    private static void awaitUsers(JdbcTemplate jdbc, int users) throws InterruptedException {
        while (jdbc.queryForObject("SELECT COUNT(*) FROM users_view WHERE full_name LIKE 'Bench User %'", Long.class)
                < users) {
            Thread.sleep(200);
        }
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
