package com.gpudash.infra.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerSpec;
import com.gpudash.agent.ContainerState;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.Route;
import com.gpudash.agent.RouteTable;
import com.gpudash.agent.nginx.NginxRouteTable;
import com.gpudash.agent.nginx.NginxSettings;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.user.UserId;
import com.gpudash.infra.GpuDashboardApplication;
import com.gpudash.infra.ProvisioningSite;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.TestNginx;
import com.gpudash.testsupport.TestServices;
import com.jayway.jsonpath.JsonPath;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How long 20 approvals made at once take to reach RUNNING on one server, against the same work done directly in
 * the same run: 20 containers created and started at once through docker-java, each followed by its route written
 * and nginx tested and reloaded by the nginx commands (one reload at a time, as the application does). The application's path adds the
 * saga's persistence (events, saga store, deadlines), placement on the server's ledger and the workspace copy over
 * SSH; the ratios say what that costs. Real Docker Engine, sshd and an nginx of its own, on loopback; H2 in a
 * temporary directory. Run with bench/provisioning.sh.
 */
public final class ProvisioningBenchmark {

    private static final int APPROVALS = Integer.getInteger("bench.approvals", 20);
    private static final String PASSWORD = "bench-password-1234";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> containerNames = new ArrayList<>();
        ContainerRuntime runtime = null;
        DockerEndpoint docker = DockerEndpoint.of(TestServices.dockerEndpoint());
        ProvisioningSite site = ProvisioningSite.open("gpudash-bench-provisioning", "hello.txt", "hello\n",
                "baseline-routes.conf");
        Path root = site.root();
        Path prefix = root.resolve("nginx");
        TestNginx nginx = site.nginx();
        try (site;
             ConfigurableApplicationContext app = new SpringApplicationBuilder(GpuDashboardApplication.class).run(
                     "--server.port=0", "--management.server.port=0", "--DATA_DIR=" + root.resolve("data"),
                     "--LOG_FILE=" + root.resolve("bench.log"), "--ADMIN_PASSWORD=" + PASSWORD,
                     "--gpudash.security.bcrypt-cost=4",
                     "--SSH_PRIVATE_KEY=" + TestServices.sshPrivateKey(),
                     "--WORKDIR_TEMPLATE=" + root.resolve("template"), "--WORKDIR_DEPLOY=" + root.resolve("workspaces"),
                     "--NGINX_CONFIG_FILE=" + prefix.resolve("routes.conf"),
                     "--NGINX_TEST_COMMAND=" + nginx.commandLine("-t"),
                     "--NGINX_RELOAD_COMMAND=" + nginx.commandLine("-s", "reload"),
                     "--DOCKER_IMAGE=gpu-dev-env-test", "--DOCKER_TAG=latest", "--DOCKER_CPU=0.5",
                     "--gpudash.registration.address-max=1000000",
                     "--DOCKER_MEM_LMT=64m", "--CONTAINER_PUBLISH_IP=127.0.0.1", "--PROVISION_TIMEOUT=600s",
                     // Only the benchmark's own work: no telemetry round or reconciliation in the middle of it.
                     "--TELEMETRY_INTERVAL=1h", "--RECONCILE_INTERVAL=1h")) {
            runtime = app.getBean(ContainerRuntime.class);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            Api api = new Api(port);
            api.token = JsonPath.read(api.post("/api/login", Map.of("username", "gpuadmin", "password", PASSWORD)),
                    "$.token");
            String hostKey = Files.readString(TestServices.sshHostKeyFile()).strip();
            String serverId = JsonPath.read(api.post("/api/admin/servers", Map.of("name", "bench-" + run,
                    "host", TestServices.sshHost(), "dockerEndpoint", TestServices.dockerEndpoint(),
                    "sshPort", TestServices.sshPort(), "sshUser", TestServices.sshUser(), "sshHostKey", hostKey,
                    "maxContainers", APPROVALS + 1)), "$.id");
            awaitRow(jdbc, "SELECT COUNT(*) FROM server_view WHERE id = '" + serverId + "'");

            // Warm-up: one provisioning and one direct create+start+reload, so neither side pays for class loading.
            String warmUser = "pbench-" + run + "-w";
            containerNames.add("gpudash-" + warmUser);
            String warmId = JsonPath.read(api.post("/api/register", registration(warmUser)), "$.user.id");
            awaitRow(jdbc, "SELECT COUNT(*) FROM users_view WHERE user_id = '" + warmId + "'");
            String warmOperation = JsonPath.read(api.post("/api/admin/users/" + warmId + "/approve",
                    Map.of("serverId", serverId, "gpuCount", 0)), "$.operationId");
            awaitSucceeded(jdbc, List.of(warmOperation), new ConcurrentHashMap<>(), System.nanoTime());
            Direct direct = new Direct(runtime, docker, root, nginx);
            containerNames.add(direct.name(run, "w"));
            direct.provision(run, "w");

            List<String> userIds = new ArrayList<>();
            for (int i = 0; i < APPROVALS; i++) {
                String username = "pbench-" + run + "-" + i;
                containerNames.add("gpudash-" + username);
                userIds.add(JsonPath.read(api.post("/api/register", registration(username)), "$.user.id"));
            }
            for (String userId : userIds) {
                awaitRow(jdbc, "SELECT COUNT(*) FROM users_view WHERE user_id = '" + userId + "'");
            }

            // The application: approvals sent at once; each timed from its request to its operation SUCCEEDED.
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            Map<String, Long> doneAt = new ConcurrentHashMap<>();
            List<CompletableFuture<String>> approvals = new ArrayList<>();
            long appStart = System.nanoTime();
            for (String userId : userIds) {
                long sent = System.nanoTime();
                approvals.add(api.postAsync("/api/admin/users/" + userId + "/approve",
                        Map.of("serverId", serverId, "gpuCount", 0)).thenApply(body -> {
                            String operation = JsonPath.read(body, "$.operationId");
                            sentAt.put(operation, sent);
                            return operation;
                        }));
            }
            List<String> operations = approvals.stream().map(CompletableFuture::join).toList();
            awaitSucceeded(jdbc, operations, doneAt, appStart);
            long appWall = System.nanoTime() - appStart;
            List<Long> appLatencies = operations.stream().map(op -> doneAt.get(op) - sentAt.get(op)).toList();
            String breakdown = stepBreakdown(app.getBean(EventStore.class), userIds);

            // Directly, in the same run: the same number at once, through docker-java and the nginx commands.
            List<Long> directLatencies = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(APPROVALS);
            long directStart = System.nanoTime();
            List<Future<Long>> directRuns = new ArrayList<>();
            for (int i = 0; i < APPROVALS; i++) {
                String item = "d" + i;
                containerNames.add(direct.name(run, item));
                directRuns.add(pool.submit(() -> direct.provision(run, item)));
            }
            for (Future<Long> done : directRuns) {
                directLatencies.add(done.get(10, TimeUnit.MINUTES));
            }
            long directWall = System.nanoTime() - directStart;
            pool.shutdown();

            String report = """

                    Provisioning of %d containers approved at once on one server (real Docker Engine, sshd, nginx)
                      application, approve -> RUNNING:   p50 %d ms, p95 %d ms, max %d ms; all done after %d ms
                      direct create+start+nginx reload:  p50 %d ms, p95 %d ms, max %d ms; all done after %d ms
                      overhead ratio (application / direct): p50 %.2f, p95 %.2f, all done %.2f
                      (the application also records every step as events, places on the server's ledger and copies
                      the workspace over SSH; the direct path does none of that)
                      application, median time from the request to each step's event: %s
                    """.formatted(APPROVALS,
                    millis(percentile(appLatencies, 50)), millis(percentile(appLatencies, 95)),
                    millis(percentile(appLatencies, 100)), millis(appWall),
                    millis(percentile(directLatencies, 50)), millis(percentile(directLatencies, 95)),
                    millis(percentile(directLatencies, 100)), millis(directWall),
                    ratio(appLatencies, directLatencies, 50), ratio(appLatencies, directLatencies, 95),
                    appWall / (double) directWall, breakdown);
            System.out.println(report);
            Path out = Path.of("infra/target/bench/provisioning.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        } finally {
            if (runtime != null) {
                for (String name : containerNames) {
                    ContainerRuntime engine = runtime;
                    try {
                        engine.inspectContainer(docker, name).ifPresent(left -> engine.removeContainer(docker,
                                left.id(), true));
                    } catch (RuntimeException e) {
                        System.err.println("could not remove " + name + ": " + e.getMessage());
                    }
                }
            }
        }
        System.exit(0);
    }

    /** The same container and route the application makes, made directly. */
    private record Direct(ContainerRuntime runtime, DockerEndpoint docker, Path root, RouteTable table,
                          Map<String, Route> routes) {

        Direct(ContainerRuntime runtime, DockerEndpoint docker, Path root, TestNginx nginx) {
            this(runtime, docker, root, new NginxRouteTable(NginxSettings.of(root.resolve("nginx/baseline-routes.conf"),
                    nginx.commandLine("-t"), nginx.commandLine("-s", "reload"))), new HashMap<>());
        }

        String name(String run, String item) {
            // Beside the application's gpudash-pbench-<run>-<n>, never the same.
            return "gpudash-pbench-" + run + "-x" + item;
        }

        /** @return nanoseconds from the create to nginx reloaded with the route */
        long provision(String run, String item) throws Exception {
            long started = System.nanoTime();
            String name = name(run, item);
            runtime.createContainer(docker, new ContainerSpec(TestServices.dockerImage(), name,
                    Map.of("gpudash.bench", run), 0.5, 64L * 1024 * 1024, List.of(),
                    root.resolve("workspaces").toString(), "/workspace", 8080, "127.0.0.1"));
            runtime.startContainer(docker, name);
            ContainerState state = runtime.inspectContainer(docker, name).orElseThrow();
            int hostPort = state.publishedPorts().get(0).hostPort();
            // The whole file written, tested and reloaded, one at a time (the adapter is synchronized).
            synchronized (routes) {
                routes.put(item, new Route("pbench-" + run + "-x" + item, "127.0.0.1", hostPort));
                table.replaceAll(new ArrayList<>(routes.values()));
            }
            return System.nanoTime() - started;
        }
    }

    /** Where the application's time goes: for each step, the median over the containers of request -> its event. */
    private static String stepBreakdown(EventStore events, List<String> userIds) {
        Map<String, List<Long>> sinceRequest = new java.util.LinkedHashMap<>();
        for (String userId : userIds) {
            List<? extends EventMessage<?>> history = events.readEvents(
                    ContainerId.forUser(UserId.of(userId)).value()).asStream().toList();
            java.time.Instant requested = history.get(0).getTimestamp();
            for (EventMessage<?> event : history) {
                sinceRequest.computeIfAbsent(event.getPayloadType().getSimpleName(), type -> new ArrayList<>())
                        .add(Duration.between(requested, event.getTimestamp()).toNanos());
            }
        }
        return String.join(", ", sinceRequest.entrySet().stream()
                .map(step -> step.getKey() + " " + millis(percentile(step.getValue(), 50)) + " ms").toList());
    }

    private static Map<String, Object> registration(String username) {
        return Map.of("username", username, "password", "a long enough password", "email", username + "@example.org");
    }

    /** Asked every 20 ms: when an operation is seen done is its measured end. */
    private static void awaitSucceeded(JdbcTemplate jdbc, List<String> operations, Map<String, Long> doneAt,
                                       long since) {
        Duration left = Duration.ofNanos(since + Duration.ofMinutes(10).toNanos() - System.nanoTime());
        Eventually.await(() -> "the provisionings, done within 10 minutes: " + doneAt.size() + " of "
                + operations.size(), left, Duration.ofMillis(20), () -> {
            for (String operation : operations) {
                if (!doneAt.containsKey(operation)) {
                    List<String> status = jdbc.queryForList("SELECT status FROM operation_view WHERE id = ?",
                            String.class, operation);
                    if (status.contains("FAILED")) {
                        throw new IllegalStateException("operation " + operation + " FAILED: " + jdbc.queryForList(
                                "SELECT error FROM operation_view WHERE id = ?", String.class, operation));
                    }
                    if (status.contains("SUCCEEDED")) {
                        doneAt.put(operation, System.nanoTime());
                    }
                }
            }
            return Optional.of(doneAt.size()).filter(done -> done == operations.size());
        });
    }

    private static void awaitRow(JdbcTemplate jdbc, String countQuery) {
        Eventually.await("a row in the read model: " + countQuery, Duration.ofSeconds(60),
                () -> Optional.of(jdbc.queryForObject(countQuery, Integer.class)).filter(count -> count >= 1));
    }

    private static long percentile(List<Long> nanos, int percentile) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }

    private static double ratio(List<Long> app, List<Long> direct, int percentile) {
        return percentile(app, percentile) / (double) percentile(direct, percentile);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** The HTTP API as the dashboard calls it, with the admin's session once signed in. */
    private static final class Api {

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final int port;
        private String token;

        Api(int port) {
            this.port = port;
        }

        String post(String path, Map<String, Object> body) throws Exception {
            return postAsync(path, body).get(60, TimeUnit.SECONDS);
        }

        CompletableFuture<String> postAsync(String path, Map<String, Object> body) throws IOException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                if (response.statusCode() >= 300) {
                    throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
                            + response.body());
                }
                return response.body();
            });
        }
    }
}
