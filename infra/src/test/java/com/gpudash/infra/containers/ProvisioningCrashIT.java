package com.gpudash.infra.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.agent.ContainerState;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.docker.DockerContainerRuntime;
import com.gpudash.agent.docker.DockerSettings;
import com.gpudash.infra.TestAdmin;
import com.gpudash.saga.container.ContainerLabels;
import com.gpudash.infra.PackagedApplication;
import com.gpudash.infra.ProvisioningSite;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged application is killed with SIGKILL while five approvals are provisioning, and started again on the
 * same MariaDB database: every provisioning continues where it stopped (the saga, its deadlines and the event store
 * are in the database; every step finds what an earlier try did), and the end state is exactly what five clean
 * provisionings make: five RUNNING containers, one each, five routes, no duplicates, no orphans, five reservations.
 * <p>
 * The answer timeout is short ({@code GPUDASH_PROVISIONING_ANSWER_TIMEOUT}), so that the steps whose work died with
 * the process are sent again within seconds of the restart rather than half a minute.
 */
@RequiresServices({Service.MARIADB, Service.DOCKER, Service.OPENSSH, Service.NGINX})
class ProvisioningCrashIT {

    private static final int USERS = 5;
    /** Beside the other MariaDB tests' database (TEST_DB_NAME), never the same. */
    private static final String DATABASE = Optional.ofNullable(System.getenv("TEST_DB_NAME"))
            .filter(name -> !name.isBlank()).orElse("gpudash_test") + "_crash";
    private static final String TEMPLATE_FILE = "hello.txt";
    private static final String TEMPLATE_CONTENT = "hello after the crash\n";
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(120);
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(150);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final DockerContainerRuntime runtime = new DockerContainerRuntime(DockerSettings.defaults());
    private final DockerEndpoint docker = DockerEndpoint.of(TestServices.dockerEndpoint());
    private final List<String> usernames = new ArrayList<>();
    private ProvisioningSite site;
    private Path root;
    private Process application;
    private int port;
    private String token;

    @BeforeEach
    void prepare() throws Exception {
        site = ProvisioningSite.open("gpudash-crash-", TEMPLATE_FILE, TEMPLATE_CONTENT);
        root = site.root();
        Files.createDirectories(root.resolve("app"));
        try (Connection server = mariaDb()) {
            server.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (application != null && application.isAlive()) {
                application.destroy();
                if (!application.waitFor(30, TimeUnit.SECONDS)) {
                    application.destroyForcibly();
                }
            }
            for (String username : usernames) {
                runtime.inspectContainer(docker, "gpudash-" + username)
                        .ifPresent(left -> runtime.removeContainer(docker, left.id(), true));
            }
            runtime.close();
            try (Connection server = mariaDb()) {
                server.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
            }
        } finally {
            // Kept for a failure's post-mortem: the temporary directory goes.
            Files.copy(root.resolve("app/console.log"), Path.of("target", "provisioning-crash-console.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            if (site != null) {
                site.close();
            }
        }
    }

    @Test
    void fiveProvisioningsKilledMidwayAllEndRunningOnceAfterARestart() throws Exception {
        start();
        token = login();
        String serverId = addServer();
        Map<String, String> userIds = new LinkedHashMap<>();
        for (int i = 0; i < USERS; i++) {
            String username = "resilience-c" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
            usernames.add(username);
            userIds.put(username, register(username));
        }
        List<String> operations = new ArrayList<>();
        for (String userId : userIds.values()) {
            HttpResponse<String> approval = post("/api/admin/users/" + userId + "/approve",
                    Map.of("serverId", serverId, "gpuCount", 0));
            assertThat(approval.statusCode()).as(approval.body()).isEqualTo(202);
            operations.add(JsonPath.read(approval.body(), "$.operationId"));
        }

        // Midway: once the first container exists, with the others still on their way.
        await("a first container of the five on the engine", Duration.ofSeconds(30),
                () -> Optional.of(ourContainers().size()).filter(n -> n > 0));
        application.destroyForcibly();
        assertThat(application.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Map<String, String> atTheKill = statuses();
        System.out.println("[ProvisioningCrashIT] killed with the containers " + atTheKill + " and "
                + ourContainers().size() + " of them on the engine");
        assertThat(atTheKill.values()).as("the kill must come before all five are RUNNING, or it tests nothing")
                .filteredOn("RUNNING"::equals).hasSizeLessThan(USERS);

        start();
        token = login();

        await("all five RUNNING after the restart", RECOVERY_LIMIT, () -> Optional.of(statuses())
                .filter(statuses -> statuses.size() == USERS
                        && statuses.values().stream().allMatch("RUNNING"::equals)));
        for (String operation : operations) {
            HttpResponse<String> answer = get("/api/operations/" + operation);
            assertThat(answer.body()).as("operation " + operation).contains("\"SUCCEEDED\"");
        }

        List<ContainerState> containers = ourContainers();
        assertThat(containers).as("exactly one container for each user").hasSize(USERS)
                .allSatisfy(container -> assertThat(container.running()).isTrue())
                .extracting(container -> container.labels().get(ContainerLabels.USER))
                .containsExactlyInAnyOrderElementsOf(usernames);
        String installation = query("SELECT id FROM gpudash_installation").get(0);
        assertThat(runtime.listContainers(docker, ContainerLabels.ofInstallation(installation)))
                .as("no container of this installation that is not one of the five").hasSize(USERS);

        String routes = Files.readString(root.resolve("nginx/routes.conf"));
        for (String username : usernames) {
            assertThat(count(routes, "location /" + username + "/ ")).as("routes of " + username + ":\n" + routes)
                    .isEqualTo(1);
            assertThat(awaitPage(username)).isEqualTo(TEMPLATE_CONTENT);
        }
        assertThat(count(routes, "location /")).as("no other route").isEqualTo(USERS);
        assertThat(query("SELECT containers FROM server_view WHERE id = '" + serverId + "'"))
                .as("one reservation for each container, none lost or doubled").containsExactly(String.valueOf(USERS));
        assertThat(query("SELECT COUNT(*) FROM SagaEntry WHERE sagaType LIKE '%ProvisioningSaga'"))
                .as("no provisioning saga left running").containsExactly("0");
    }

    private void start() throws Exception {
        Path jar = Path.of("target", "gpu-dashboard.jar").toAbsolutePath();
        assertThat(jar).exists();
        port = PackagedApplication.freePort();
        Path prefix = root.resolve("nginx");
        String nginxCommand = TestServices.nginxBinary() + " -p " + prefix + " -c " + prefix.resolve("nginx.conf");
        ProcessBuilder builder = new ProcessBuilder(PackagedApplication.javaBinary(), "-jar", jar.toString())
                .directory(root.resolve("app").toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("app/console.log").toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("DB_") || name.startsWith("ADMIN_")
                || name.startsWith("GPUDASH_"));
        Map<String, String> environment = new HashMap<>(Map.ofEntries(
                Map.entry("MGMT_SERVER_PORT", String.valueOf(port)),
                Map.entry("METRICS_PORT", String.valueOf(PackagedApplication.freePort())),
                Map.entry("DB_HOST", TestServices.dbHost()),
                Map.entry("DB_PORT", String.valueOf(TestServices.dbPort())),
                Map.entry("DB_USER", TestServices.dbUser()),
                Map.entry("DB_PASSWORD", TestServices.dbPassword()),
                Map.entry("DB_NAME", DATABASE),
                Map.entry("ADMIN_PASSWORD", TestAdmin.PASSWORD),
                Map.entry("GPUDASH_SECURITY_BCRYPT_COST", "4"),
                Map.entry("SSH_PRIVATE_KEY", TestServices.sshPrivateKey().toString()),
                Map.entry("WORKDIR_TEMPLATE", root.resolve("template").toString()),
                Map.entry("WORKDIR_DEPLOY", root.resolve("workspaces").toString()),
                Map.entry("NGINX_CONFIG_FILE", prefix.resolve("routes.conf").toString()),
                Map.entry("NGINX_TEST_COMMAND", nginxCommand + " -t"),
                Map.entry("NGINX_RELOAD_COMMAND", nginxCommand + " -s reload"),
                Map.entry("DOCKER_IMAGE", "gpu-dev-env-test"),
                Map.entry("DOCKER_TAG", "latest"),
                Map.entry("DOCKER_CPU", "0.5"),
                Map.entry("DOCKER_MEM_LMT", "64m"),
                Map.entry("CONTAINER_PUBLISH_IP", "127.0.0.1"),
                Map.entry("PROVISION_TIMEOUT", "180s"),
                // Reconciliation runs during the recovery too: it must not take the provisionings' containers.
                Map.entry("RECONCILE_INTERVAL", "5s"),
                Map.entry("GPUDASH_PROVISIONING_ANSWER_TIMEOUT", "5s"),
                Map.entry("GPUDASH_PROVISIONING_RETRY_BASE", "250ms"),
                Map.entry("GPUDASH_PROVISIONING_RETRY_CAP", "2s"),
                Map.entry("GPUDASH_PROVISIONING_MAX_ATTEMPTS", "20")));
        builder.environment().putAll(environment);
        application = builder.start();
        awaitHealth();
    }

    private void awaitHealth() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        Eventually.await(() -> "/health to be UP:\n" + console(), STARTUP_LIMIT, () -> {
            if (!application.isAlive()) {
                throw new AssertionError("the jar exited with " + application.exitValue() + ":\n" + console());
            }
            try {
                return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
                        .filter(status -> status == 200);
            } catch (IOException notListeningYet) {
                // the port opens a little after the JVM starts
                return Optional.empty();
            }
        });
    }

    private String login() throws Exception {
        HttpResponse<String> login = post("/api/login", Map.of("username", TestAdmin.USERNAME,
                "password", TestAdmin.PASSWORD));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return JsonPath.read(login.body(), "$.token");
    }

    private String addServer() throws Exception {
        String hostKey = Files.readString(TestServices.sshHostKeyFile()).strip();
        HttpResponse<String> added = post("/api/admin/servers", Map.of(
                "name", "resilience-crash-" + UUID.randomUUID().toString().substring(0, 6),
                "host", TestServices.sshHost(), "dockerEndpoint", TestServices.dockerEndpoint(),
                "sshPort", TestServices.sshPort(), "sshUser", TestServices.sshUser(), "sshHostKey", hostKey,
                "maxContainers", USERS));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        String id = JsonPath.read(added.body(), "$.id");
        // The workers reach the server through the servers read model.
        await("the server in the read model", Duration.ofSeconds(30), () -> Optional.of(
                query("SELECT COUNT(*) FROM server_view WHERE id = '" + id + "'")).filter(List.of("1")::equals));
        return id;
    }

    private String register(String username) throws Exception {
        HttpResponse<String> registered = post("/api/register", Map.of("username", username,
                "password", "a long enough password", "email", username + "@example.org"));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        return JsonPath.read(registered.body(), "$.user.id");
    }

    private HttpResponse<String> post(String path, Map<String, Object> body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The containers labelled with one of this test's users (the engine is shared with other tests). */
    private List<ContainerState> ourContainers() {
        return runtime.listContainers(docker, Map.of()).stream()
                .filter(container -> container.labels().containsKey(ContainerLabels.INSTALLATION))
                .filter(container -> usernames.contains(container.labels().get(ContainerLabels.USER)))
                .toList();
    }

    /** Username to status, from the containers read model. */
    private Map<String, String> statuses() {
        Map<String, String> statuses = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl(DATABASE), TestServices.dbUser(),
                TestServices.dbPassword());
             var rows = connection.createStatement().executeQuery("SELECT username, status FROM container_view")) {
            while (rows.next()) {
                if (usernames.contains(rows.getString(1))) {
                    statuses.put(rows.getString(1), rows.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return statuses;
    }

    private List<String> query(String sql) {
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl(DATABASE), TestServices.dbUser(),
                TestServices.dbPassword());
             var rows = connection.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    /** nginx needs a moment after a reload, the container's web server after its start. */
    private String awaitPage(String username) {
        URI page = URI.create("http://127.0.0.1:" + site.nginx().port() + "/" + username + "/" + TEMPLATE_FILE);
        return await("GET " + page + " answering 200", Duration.ofSeconds(30), () -> {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(page)
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return Optional.of(response).filter(r -> r.statusCode() == 200).map(HttpResponse::body);
            } catch (IOException notYet) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** On giving up, says how the containers stand and what the application last printed. */
    private <T> T await(String what, Duration limit, Supplier<Optional<T>> check) {
        return Eventually.await(() -> what + "; containers: " + statuses() + ", failures: "
                + query("SELECT CONCAT(username, ': ', failure_reason) FROM container_view"
                + " WHERE failure_reason IS NOT NULL") + "\n" + tail(console(), 6000), limit, check::get);
    }

    private static int count(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private String console() {
        try {
            return Files.readString(root.resolve("app/console.log"));
        } catch (IOException e) {
            return "(no console output: " + e + ")";
        }
    }

    private static String tail(String text, int characters) {
        return text.substring(Math.max(0, text.length() - characters));
    }

    private static Connection mariaDb() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(""), TestServices.dbUser(), TestServices.dbPassword());
    }

    private static String jdbcUrl(String database) {
        return "jdbc:mariadb://" + TestServices.dbHost() + ":" + TestServices.dbPort() + "/" + database;
    }
}
