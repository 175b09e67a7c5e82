package com.gpudash.infra.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.gpudash.api.user.UserApproved;
import com.gpudash.api.user.UserId;
import com.gpudash.api.user.UserRegistered;
import com.gpudash.infra.GpuDashboardApplication;
import com.gpudash.infra.bench.ClosedLoop.Latencies;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.TestServices;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.gpudash.infra.bench.BenchReports.line;
import static com.gpudash.infra.bench.BenchReports.loadAverage;

/**
 * The admins' list reads at a realistic size (issue 11, item 5): the users page over {@code bench.users} users
 * (10,000) and the server list over {@code bench.servers} servers, each at {@code bench.connections} (64)
 * concurrent connections, beside {@code GET /api/validate-session} in the same run, the cheapest authenticated
 * call (one session lookup, no read model), whose throughput the list reads are compared with. Not part of the
 * test suite (the name does not end in Test); run it on purpose, on an otherwise quiet machine:
 * <pre>
 * mvn -o -q -pl infra -am verify -Dtest=ReadPathBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none
 *     [-Dbench.users=10000] [-Dbench.servers=50] [-Dbench.seconds=10] [-Dbench.connections=64]
 * </pre>
 * It starts the application on a fresh MariaDB database of its own (dropped at the end), adds the users as
 * registration events through the event store (half of them approved) and lets the users projection write them,
 * since registering 10,000 users through the API would spend most of its time in bcrypt; the servers are
 * registered through the API. The users pages asked are the first, a page deep in the list, a status filter, a
 * role filter and a search, in turn. The report goes to stdout and to target/bench/read-path.txt.
 */
class ReadPathBenchmark {

    private static final String ADMIN_PASSWORD = "bench-admin-password";
    private static final int APPEND_BATCH = 1000;
    private static final List<String> USER_PAGES = List.of("", "page=100", "status=PENDING", "role=REGULAR",
            "q=user-0042", "status=ACTIVE&page=20");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private String baseUrl;
    private String admin;

    @Test
    void run() throws Exception {
        int users = Integer.getInteger("bench.users", 10_000);
        int servers = Integer.getInteger("bench.servers", 50);
        Duration phase = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
        int connections = Integer.getInteger("bench.connections", 64);
        Path dataDir = Files.createTempDirectory("gpudash-read-bench");
        String database = "gpudash_bench_reads_" + UUID.randomUUID().toString().substring(0, 8);
        String[] arguments = {"--DATA_DIR=" + dataDir, "--LOG_FILE=" + dataDir.resolve("bench.log"),
                "--MGMT_SERVER_IP=127.0.0.1", "--server.port=0", "--management.server.port=0",
                "--ADMIN_PASSWORD=" + ADMIN_PASSWORD, "--gpudash.security.bcrypt-cost=4",
                "--logging.level.root=warn", "--TELEMETRY_INTERVAL=1h",
                "--DB_HOST=" + TestServices.dbHost(), "--DB_PORT=" + TestServices.dbPort(),
                "--DB_USER=" + TestServices.dbUser(), "--DB_PASSWORD=" + TestServices.dbPassword(),
                "--DB_NAME=" + database};
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(GpuDashboardApplication.class)
                .run(arguments)) {
            baseUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            admin = BenchReports.adminToken(http, baseUrl, ADMIN_PASSWORD);
            measure(app, users, servers, phase, connections);
        } finally {
            try (Connection connection = DriverManager.getConnection("jdbc:mariadb://" + TestServices.dbHost()
                    + ":" + TestServices.dbPort() + "/", TestServices.dbUser(), TestServices.dbPassword())) {
                connection.createStatement().execute("DROP DATABASE IF EXISTS " + database);
            }
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private void measure(ConfigurableApplicationContext app, int users, int servers, Duration phase,
                         int connections) throws Exception {
        StringBuilder report = new StringBuilder();
        line(report, "Read path benchmark (%d cores, MariaDB, loopback, load average at start %s)",
                Runtime.getRuntime().availableProcessors(), loadAverage());
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        long started = System.nanoTime();
        appendUsers(app.getBean(EventStore.class), users);
        Eventually.await(() -> "the users projection to write every user", Duration.ofMinutes(10), Duration.ofMillis(200),
                () -> Optional.of(jdbc.queryForObject("SELECT COUNT(*) FROM users_view WHERE status = 'ACTIVE'",
                        Long.class)).filter(active -> active > users / 2));
        line(report, "  users:    %d registered (half approved) through the event store and projected in %.1f s",
                users, (System.nanoTime() - started) / 1e9);
        for (int i = 0; i < servers; i++) {
            String body = String.format(Locale.ROOT, "{\"name\":\"gpu-%03d\",\"host\":\"127.0.0.1\","
                    + "\"dockerEndpoint\":\"tcp://127.0.0.1:%d\",\"maxContainers\":16}", i, 30000 + i);
            HttpResponse<String> added = http.send(request("/api/admin/servers").header("Content-Type",
                    "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (added.statusCode() != 201) {
                throw new IllegalStateException("adding a server answered " + added.statusCode() + ": " + added.body());
            }
        }
        line(report, "  servers:  %d registered through the API", servers);

        Duration warmUp = Duration.ofSeconds(3);
        ClosedLoop.Call session = index -> get("/api/validate-session");
        ClosedLoop.Call usersPage = index -> get("/api/admin/users?size=50"
                + (USER_PAGES.get(index % USER_PAGES.size()).isEmpty() ? "" : "&" + USER_PAGES.get(index % USER_PAGES.size())));
        ClosedLoop.Call serverList = index -> get("/api/admin/servers");
        // Every call is warmed up before any is measured: the first calls of a fresh JVM run interpreted.
        ClosedLoop.run(connections, warmUp, session);
        ClosedLoop.run(connections, warmUp, usersPage);
        ClosedLoop.run(connections, warmUp, serverList);
        Latencies sessionRun = ClosedLoop.run(connections, phase, session);
        Latencies usersRun = ClosedLoop.run(connections, phase, usersPage);
        Latencies serversRun = ClosedLoop.run(connections, phase, serverList);
        Latencies sessionAgain = ClosedLoop.run(connections, phase, session);
        double sessionRate = (sessionRun.perSecond() + sessionAgain.perSecond()) / 2;

        line(report, "  at %d connections, %d s each:", connections, phase.toSeconds());
        line(report, "    validate-session (baseline)   %s", sessionRun.summary());
        line(report, "    users page over %-6d users    %s   %.2fx the baseline's throughput", users,
                usersRun.summary(), usersRun.perSecond() / sessionRate);
        line(report, "    server list of %-4d servers    %s   %.2fx the baseline's throughput", servers,
                serversRun.summary(), serversRun.perSecond() / sessionRate);
        line(report, "    validate-session (again)      %s", sessionAgain.summary());
        line(report, "  targets: p99 <= 50 ms and >= 0.5x the baseline: users page %s, server list %s",
                verdict(usersRun, sessionRate), verdict(serversRun, sessionRate));
        line(report, "  each users page alone, %d s each:", phase.toSeconds() / 2);
        for (String page : USER_PAGES) {
            Latencies alone = ClosedLoop.run(connections, phase.dividedBy(2),
                    index -> get("/api/admin/users?size=50" + (page.isEmpty() ? "" : "&" + page)));
            line(report, "    %-22s %s   %.2fx", page.isEmpty() ? "(first page)" : page, alone.summary(),
                    alone.perSecond() / sessionRate);
        }
        line(report, "  load average at the end: %s", loadAverage());
        Path out = Path.of("target/bench/read-path.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static String verdict(Latencies run, double baselineRate) {
        boolean met = run.percentileMillis(99) <= 50 && run.perSecond() >= 0.5 * baselineRate && run.errors() == 0;
        return met ? "met" : "NOT met";
    }

    private Supplier<Boolean> get(String path) {
        HttpRequest request = request(path).GET().build();
        return () -> {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        };
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        return admin == null ? builder : builder.header("Authorization", "Bearer " + admin);
    }

    private static void appendUsers(EventStore eventStore, int users) {
        List<EventMessage<?>> batch = new ArrayList<>(APPEND_BATCH);
        UserId approver = UserId.of(UUID.randomUUID().toString());
        for (int i = 0; i < users; i++) {
            UserId user = UserId.of(UUID.randomUUID().toString());
            String name = String.format(Locale.ROOT, "user-%05d", i);
            // As the User aggregate stores them: the users projection runs in segments split by aggregate, and
            // events without one were spread over the segments at random (an approval handled before its
            // registration, two segments updating the same rows until they deadlocked).
            batch.add(new GenericDomainEventMessage<>("User", user.value(), 0, new UserRegistered(user, name,
                    name + "@lab.example", "Researcher " + i)));
            if (i % 2 == 0) {
                // Without a provisioning operation, as approvals stored before approvals carried one: the read
                // model takes the approval and no container is requested for it.
                batch.add(new GenericDomainEventMessage<>("User", user.value(), 1,
                        new UserApproved(user, approver, name, null, null, 0)));
            }
            if (batch.size() >= APPEND_BATCH || i == users - 1) {
                eventStore.publish(batch);
                batch = new ArrayList<>(APPEND_BATCH);
            }
        }
    }


}
