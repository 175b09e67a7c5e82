package com.gpudash.infra.deploy;

import static com.gpudash.infra.deploy.DockerCli.docker;
import static com.gpudash.infra.deploy.DockerCli.tryDocker;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.gpudash.infra.PackagedApplication;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository's compose.yaml brought up as README "Run it in containers" says, with the local stand-ins for the
 * public images: a user registered and approved through the API gets a container on the test Docker Engine (its
 * workspace copied over the test sshd) and is reached at /&lt;username&gt;/ through the stack's nginx, which the
 * application tested and reloaded across containers; then the stack is taken down with its volumes.
 *
 * <p>The GPU server here is this machine's loopback services (the test engine and sshd listen on 127.0.0.1 only),
 * so the test's copy of the file puts the application and nginx on the host's network and publishes the database on
 * a loopback port ({@link #onTheHostNetwork}); everything else is the file as shipped. An operator's GPU servers are
 * other hosts, which the containers reach through the bridge.
 */
@RequiresServices({Service.DOCKER, Service.OPENSSH})
class ComposeStackIT {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(240);
    private static final Duration PROVISIONING_LIMIT = Duration.ofSeconds(90);
    private static final String TEMPLATE_FILE = "hello.txt";
    private static final String TEMPLATE_CONTENT = "hello through the stack's nginx\n";
    /** The image's user, which must be able to read the secrets. */
    private static final int IMAGE_UID = 10001;

    @TempDir
    Path root;

    private final String project = "gpudash-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> usernames = new ArrayList<>();
    private List<String> files;

    @BeforeEach
    void prepare() throws Exception {
        ContainerImages.requireLocalImages();
        Files.createDirectories(root.resolve("template"));
        Files.writeString(root.resolve("template").resolve(TEMPLATE_FILE), TEMPLATE_CONTENT);
        Files.createDirectories(root.resolve("workspaces"));
        Path secrets = Files.createDirectories(root.resolve("secrets"));
        secret(TestServices.sshPrivateKey(), secrets.resolve("ssh_private_key"));
        secret(TestServices.sshKnownHosts(), secrets.resolve("ssh_known_hosts"));
    }

    @AfterEach
    void takeDown() throws Exception {
        if (files != null) {
            Path log = Path.of("target", "compose-stack-it.log");
            Files.writeString(log, DockerCli.tryCompose(ContainerImages.REPOSITORY, Duration.ofSeconds(60), Map.of(),
                    compose("logs", "--no-color")).output());
            DockerCli.compose(ContainerImages.REPOSITORY, Duration.ofMinutes(2), Map.of(),
                    compose("down", "--volumes", "--remove-orphans"));
        }
        for (String username : usernames) {
            tryDocker(Duration.ofSeconds(60), "rm", "--force", "gpudash-" + username);
        }
    }

    @Test
    void anApprovedUserIsServedThroughTheStacksNginx() throws Exception {
        int apiPort = PackagedApplication.freePort();
        int nginxPort = PackagedApplication.freePort();
        up(apiPort, nginxPort);
        String app = DockerCli.compose(ContainerImages.REPOSITORY, Duration.ofSeconds(60), Map.of(),
                compose("ps", "-q", "app"));
        long started = System.nanoTime();
        ContainerImages.awaitHealthy(app, STARTUP_LIMIT);
        System.out.printf("[ComposeStackIT] the application healthy %d ms after up%n",
                Duration.ofNanos(System.nanoTime() - started).toMillis());

        DockerCli.Result refused = tryDocker(Duration.ofSeconds(60), "exec", app, "sh", "-c",
                "echo 'location /broken/ { no_such_directive; }' >/var/lib/gpudash-nginx/routes/zz-broken.conf;"
                        + " gpudash-nginx-request test; status=$?;"
                        + " rm /var/lib/gpudash-nginx/routes/zz-broken.conf; exit $status");
        assertThat(refused.status()).as("the application's NGINX_TEST_COMMAND on a broken file: %s", refused.output())
                .isNotZero();
        assertThat(refused.output()).contains("no_such_directive");

        ApiClient api = new ApiClient(apiPort).signInAsAdmin();
        String serverId = addThisMachineAsServer(api);
        String username = "stack-" + UUID.randomUUID().toString().substring(0, 8);
        usernames.add(username);
        HttpResponse<String> registered = api.register(username);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        String userId = JsonPath.read(registered.body(), "$.user.id");
        HttpResponse<String> approval = api.post("/api/admin/users/" + userId + "/approve",
                Map.of("serverId", serverId, "gpuCount", 0));
        assertThat(approval.statusCode()).as(approval.body()).isEqualTo(202);
        String operation = JsonPath.read(approval.body(), "$.operationId");

        String status = Eventually.await(() -> "the provisioning " + operation + " to end", PROVISIONING_LIMIT,
                Duration.ofMillis(500), () -> Optional.of(api.get("/api/operations/" + operation).body())
                        .map(body -> JsonPath.<String>read(body, "$.status"))
                        .filter(List.of("SUCCEEDED", "FAILED")::contains));
        assertThat(status).as("the provisioning: %s", api.get("/api/operations/" + operation).body())
                .isEqualTo("SUCCEEDED");
        Eventually.await(() -> "the container RUNNING", Duration.ofSeconds(30), Duration.ofMillis(500), () -> Optional.of(
                api.get("/api/admin/users/" + userId).body()).filter(body -> "RUNNING".equals(
                        JsonPath.read(body, "$.container.status"))));
        assertThat(awaitPage(nginxPort, username)).isEqualTo(TEMPLATE_CONTENT);
    }

    private void up(int apiPort, int nginxPort) throws IOException {
        Path file = root.resolve("compose.yaml");
        Files.writeString(file, onTheHostNetwork(Files.readString(ContainerImages.REPOSITORY.resolve("compose.yaml")),
                PackagedApplication.freePort(), apiPort, PackagedApplication.freePort(), nginxPort));
        String[] image = TestServices.dockerImage().split(":", 2);
        Path envFile = root.resolve("test.env");
        Files.writeString(envFile, String.join("\n",
                "DB_ROOT_PASSWORD=root-password-for-tests",
                "DB_PASSWORD=db-password-for-tests",
                "ADMIN_PASSWORD=" + TestAdmin.PASSWORD,
                "GPUDASH_IMAGE=" + ContainerImages.APPLICATION,
                "JRE_IMAGE=" + ContainerImages.jre(),
                "MARIADB_IMAGE=" + ContainerImages.mariaDb(),
                "NGINX_IMAGE=" + ContainerImages.nginx(),
                "SSH_PRIVATE_KEY_FILE=" + root.resolve("secrets/ssh_private_key"),
                "SSH_KNOWN_HOSTS_FILE=" + root.resolve("secrets/ssh_known_hosts"),
                "DOCKER_IMAGE=" + image[0],
                "DOCKER_TAG=" + (image.length > 1 ? image[1] : "latest"),
                "DOCKER_CPU=0.5",
                "DOCKER_MEM_LMT=64m",
                "WORKDIR_TEMPLATE=" + root.resolve("template"),
                "WORKDIR_DEPLOY=" + root.resolve("workspaces"),
                "CONTAINER_PUBLISH_IP=127.0.0.1",
                "PROVISION_TIMEOUT=60s") + "\n");
        // The project directory is the repository's, so the file's relative paths mean what they mean there.
        files = List.of("--env-file", envFile.toString(), "--project-name", project,
                "--project-directory", ContainerImages.REPOSITORY.toString(), "--file", file.toString());
        long started = System.nanoTime();
        DockerCli.compose(ContainerImages.REPOSITORY, Duration.ofMinutes(5), Map.of(), compose("up", "--detach", "--build"));
        System.out.printf("[ComposeStackIT] %s up --build took %d ms%n", String.join(" ", DockerCli.composeCommand()),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /**
     * compose.yaml as shipped, but for what host networking needs: {@code app} and {@code nginx} on the host's
     * network, without the published ports (which compose 1.29 refuses beside host networking, and which an
     * override file cannot take away), listening on free loopback ports, and the database published on one.
     */
    @SuppressWarnings("unchecked")
    private static String onTheHostNetwork(String compose, int dbPort, int apiPort, int managementPort, int nginxPort) {
        Map<String, Object> file = new Yaml().load(compose);
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) file.get("services");
        services.get("db").put("ports", List.of("127.0.0.1:" + dbPort + ":3306"));
        Map<String, Object> app = services.get("app");
        assertThat(app.remove("ports")).as("the published ports of app").isNotNull();
        app.put("network_mode", "host");
        Map<String, Object> appEnvironment = (Map<String, Object>) app.get("environment");
        appEnvironment.putAll(Map.of("DB_HOST", "127.0.0.1", "DB_PORT", String.valueOf(dbPort),
                "MGMT_SERVER_IP", "127.0.0.1", "MGMT_SERVER_PORT", String.valueOf(apiPort),
                "METRICS_PORT", String.valueOf(managementPort), "GPUDASH_SECURITY_BCRYPT_COST", "4"));
        // The image's interval is 10 s; the test looks more often to end sooner, with the image's check.
        app.put("healthcheck", Map.of("interval", "2s"));
        Map<String, Object> nginx = services.get("nginx");
        assertThat(nginx.remove("ports")).as("the published ports of nginx").isNotNull();
        nginx.put("network_mode", "host");
        ((Map<String, Object>) nginx.get("environment")).put("NGINX_PORT", String.valueOf(nginxPort));
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(block).dump(file);
    }

    private String[] compose(String... arguments) {
        List<String> command = new ArrayList<>(files);
        command.addAll(List.of(arguments));
        return command.toArray(String[]::new);
    }

    /** The Docker endpoint the application in the container uses: the test engine's loopback TCP socket. */
    private static String dockerTcpEndpoint() {
        String endpoint = TestServices.dockerEndpoint();
        return endpoint.startsWith("tcp://") ? endpoint
                : Optional.ofNullable(System.getenv("TEST_DOCKER_TCP_ENDPOINT")).filter(value -> !value.isBlank())
                        .orElse("tcp://127.0.0.1:2375");
    }

    private static String addThisMachineAsServer(ApiClient api) throws Exception {
        HttpResponse<String> added = api.post("/api/admin/servers", Map.of(
                "name", "stack-" + UUID.randomUUID().toString().substring(0, 6),
                "host", TestServices.sshHost(), "dockerEndpoint", dockerTcpEndpoint(),
                "sshPort", TestServices.sshPort(), "sshUser", TestServices.sshUser(),
                "sshHostKey", Files.readString(TestServices.sshHostKeyFile()).strip(), "maxContainers", 2));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        return JsonPath.read(added.body(), "$.id");
    }

    /** nginx needs a moment after a reload, the container's web server after its start. */
    private String awaitPage(int nginxPort, String username) {
        URI page = URI.create("http://127.0.0.1:" + nginxPort + "/" + username + "/" + TEMPLATE_FILE);
        List<String> answers = new ArrayList<>();
        return Eventually.await(() -> "GET " + page + " answering 200 (last answers: "
                + answers.subList(Math.max(0, answers.size() - 3), answers.size()) + ")", Duration.ofSeconds(30),
                Duration.ofMillis(250), () -> {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(page)
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                        answers.add(response.statusCode() + " " + response.body().strip());
                        return Optional.of(response).filter(r -> r.statusCode() == 200).map(HttpResponse::body);
                    } catch (IOException notYet) {
                        answers.add(notYet.toString());
                        return Optional.empty();
                    }
                });
    }

    /** A copy only the image's user may read, as README tells an operator to make it. */
    private static void secret(Path source, Path target) throws IOException {
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--------"));
        Files.setAttribute(target, "unix:uid", IMAGE_UID);
        Files.setAttribute(target, "unix:gid", IMAGE_UID);
    }
}
