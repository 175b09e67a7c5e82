package com.gpudash.infra.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerSpec;
import com.gpudash.agent.ContainerState;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.HostShell;
import com.gpudash.agent.SshTarget;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.container.ContainerView;
import com.gpudash.api.container.OrphanContainerFound;
import com.gpudash.api.container.RemoveContainer;
import com.gpudash.api.container.RequestContainer;
import com.gpudash.api.container.StartContainer;
import com.gpudash.api.container.StopContainer;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.AddServer;
import com.gpudash.api.server.RemoveServer;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import com.gpudash.query.container.ContainerViews;
import com.gpudash.saga.container.ContainerLabels;
import com.gpudash.saga.container.ContainerSettings;
import com.gpudash.saga.container.Reconciliation;
import com.gpudash.saga.worker.ServerConnections;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import com.gpudash.infra.ProvisioningSite;
import com.gpudash.infra.TestAdmin;
import com.jayway.jsonpath.JsonPath;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A provisioning from request to a container behind its route, then stop, start and removal, all on the real
 * services: the Docker Engine, sshd (the workspace copy) and an nginx of the test's own, whose configuration
 * includes the generated routes file. Everything the test makes lives under one temporary directory, and its
 * containers are named after users unique to the run.
 */
@RequiresServices({Service.DOCKER, Service.OPENSSH, Service.NGINX})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "DATA_DIR=target/test-data/containers", "LOG_FILE=target/test-data/containers.log",
        "management.server.port=0",
        "SSH_PRIVATE_KEY=${TEST_SSH_PRIVATE_KEY:/var/lib/gpudash-test/ssh/id_ed25519}",
        "WORKDIR_TEMPLATE=${gpudash.test.root}/template", "WORKDIR_DEPLOY=${gpudash.test.root}/workspaces",
        "NGINX_CONFIG_FILE=${gpudash.test.root}/nginx/routes.conf",
        "NGINX_TEST_COMMAND=${TEST_NGINX_BIN:/usr/sbin/nginx} -p ${gpudash.test.root}/nginx"
                + " -c ${gpudash.test.root}/nginx/nginx.conf -t",
        "NGINX_RELOAD_COMMAND=${TEST_NGINX_BIN:/usr/sbin/nginx} -p ${gpudash.test.root}/nginx"
                + " -c ${gpudash.test.root}/nginx/nginx.conf -s reload",
        "DOCKER_IMAGE=gpu-dev-env-test", "DOCKER_TAG=latest", "DOCKER_CPU=0.5", "DOCKER_MEM_LMT=64m",
        "CONTAINER_PUBLISH_IP=127.0.0.1", "PROVISION_TIMEOUT=60s",
        "ADMIN_PASSWORD=" + TestAdmin.PASSWORD, "gpudash.security.bcrypt-cost=4"})
class ContainerProvisioningTest {

    private static final String ROOT_PROPERTY = "gpudash.test.root";
    private static final String TEMPLATE_FILE = "hello.txt";
    private static final String TEMPLATE_CONTENT = "hello from the template\n";
    private static final Duration WAIT = Duration.ofSeconds(45);

    private static Path root;
    private static int nginxPort;
    private static ProvisioningSite site;

    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ContainerRuntime runtime;
    @Autowired
    ContainerViews containers;
    @Autowired
    Reconciliation reconciliation;
    @Autowired
    ContainerSettings settings;
    @Autowired
    EventStore events;
    @Autowired
    HostShell shell;
    @Autowired
    ServerConnections connections;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final DockerEndpoint docker = new DockerEndpoint(URI.create(TestServices.dockerEndpoint()), null, false, null);
    private final List<String> containerNames = new ArrayList<>();
    private ServerId server;

    /** Before the Spring context, which reads the paths above through {@value #ROOT_PROPERTY}. */
    @BeforeAll
    static void startNginx() throws Exception {
        // NGINX_TEST_COMMAND and NGINX_RELOAD_COMMAND above name the site's nginx prefix and its nginx.conf.
        site = ProvisioningSite.open("gpudash-containers-", TEMPLATE_FILE, TEMPLATE_CONTENT);
        root = site.root();
        System.setProperty(ROOT_PROPERTY, root.toString());
        Files.createDirectories(root.resolve("template/docs"));
        nginxPort = site.nginx().port();
    }

    @AfterAll
    static void stopNginx() throws Exception {
        System.clearProperty(ROOT_PROPERTY);
        if (site != null) {
            site.close();
        }
    }

    @AfterEach
    void removeWhatTheTestMade() {
        for (String name : containerNames) {
            runtime.inspectContainer(docker, name).ifPresent(left -> runtime.removeContainer(docker, left.id(), true));
        }
        if (server != null) {
            commands.sendAndWait(new RemoveServer(server, true));
        }
    }

    @Test
    void aRequestedContainerRunsBehindItsRouteStopsStartsAndIsRemoved() throws Exception {
        server = addLocalServer();
        Requested requested = requestContainer("u");
        String username = requested.username();
        String containerName = requested.containerName();
        ContainerId container = requested.container();
        OperationId provisioning = requested.provisioning();

        awaitSuccess(provisioning);
        ContainerState running = runtime.inspectContainer(docker, containerName).orElseThrow();
        assertThat(running.running()).isTrue();
        assertThat(running.cpus()).isEqualTo(0.5);
        assertThat(running.memoryBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(running.labels())
                .containsEntry(ContainerLabels.USER, username)
                .containsEntry(ContainerLabels.CONTAINER_ID, container.value())
                .containsEntry(ContainerLabels.ASSIGNMENT, provisioning.value())
                .containsKey(ContainerLabels.INSTALLATION);
        assertThat(root.resolve("workspaces").resolve(username).resolve(TEMPLATE_FILE)).hasContent(TEMPLATE_CONTENT);
        assertThat(root.resolve("workspaces").resolve(username).resolve("docs")).isDirectory();
        assertThat(awaitPage(username, 200).body()).isEqualTo(TEMPLATE_CONTENT);
        ContainerView view = await("the container RUNNING in the read model", () -> containers.byId(container)
                .blockOptional().filter(v -> v.status() == ContainerStatus.RUNNING));
        assertThat(view.url()).isEqualTo("/" + username + "/");
        assertThat(view.containerId()).isEqualTo(running.id());
        assertThat(view.image()).isEqualTo("gpu-dev-env-test:latest");
        assertThat(view.serverId()).isEqualTo(server);

        OperationId stop = OperationId.random();
        commands.sendAndWait(new StopContainer(container, stop));
        awaitSuccess(stop);
        assertThat(runtime.inspectContainer(docker, containerName).orElseThrow().running()).isFalse();

        OperationId start = OperationId.random();
        commands.sendAndWait(new StartContainer(container, start));
        awaitSuccess(start);
        assertThat(awaitPage(username, 200).body()).as("the route follows the container's port after a restart")
                .isEqualTo(TEMPLATE_CONTENT);

        await("the container RUNNING again in the read model", () -> containers.byId(container)
                .blockOptional().filter(v -> v.status() == ContainerStatus.RUNNING));
        OperationId removal = OperationId.random();
        commands.sendAndWait(new RemoveContainer(container, removal));
        awaitSuccess(removal);
        assertThat(runtime.inspectContainer(docker, containerName)).isEmpty();
        assertThat(awaitPage(username, 404).statusCode()).isEqualTo(404);
        assertThat(root.resolve("workspaces").resolve(username).resolve(TEMPLATE_FILE))
                .as("the workspace stays").exists();
        await("the GPUs given back", () -> Optional.of(jdbc.queryForObject(
                "SELECT containers FROM server_view WHERE id = ?", Integer.class, server.value()))
                .filter(count -> count == 0));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM route_view WHERE username = ?", Integer.class, username))
                .isZero();
    }

    /** The same life, driven the way the dashboard drives it: through the HTTP API, as an admin and as the user. */
    @Test
    void anApprovedUserGetsTheirContainerAndOnlyTheyAndAdminsCanStopIt(@Autowired WebTestClient anonymous) throws Exception {
        server = addLocalServer();
        WebTestClient admin = TestAdmin.signedIn(anonymous);
        String username = "h" + UUID.randomUUID().toString().substring(0, 8);
        containerNames.add("gpudash-" + username);
        String password = "a long enough password";
        String userId = JsonPath.read(body(anonymous.post().uri("/api/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password, "email", username + "@example.org"))
                .exchange().expectStatus().isCreated()), "$.user.id");
        String otherName = "o" + UUID.randomUUID().toString().substring(0, 8);
        admin.post().uri("/api/admin/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", otherName, "password", password, "email", otherName + "@example.org",
                        "role", "REGULAR"))
                .exchange().expectStatus().isCreated();

        String provisioning = JsonPath.read(body(admin.post().uri("/api/admin/users/{id}/approve", userId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("serverId", server.value(), "gpuCount", 0))
                .exchange().expectStatus().isAccepted()), "$.operationId");
        awaitSuccess(OperationId.of(provisioning));
        WebTestClient user = signedIn(anonymous, username, password);
        WebTestClient other = signedIn(anonymous, otherName, password);
        user.get().uri("/api/operations/{id}", provisioning).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("SUCCEEDED");
        other.get().uri("/api/operations/{id}", provisioning).exchange().expectStatus().isNotFound();

        String containerId = await("the user's container RUNNING", () -> Optional.ofNullable(body(user.get()
                .uri("/api/user/container/status").exchange())).filter(json -> json.contains("\"RUNNING\"")))
                .transform(json -> JsonPath.<String>read(json, "$.id"));
        user.get().uri("/api/user/services").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.user.username").isEqualTo(username)
                .jsonPath("$.container.status").isEqualTo("RUNNING")
                .jsonPath("$.services[0].url").isEqualTo("/" + username + "/");
        assertThat(awaitPage(username, 200).body()).isEqualTo(TEMPLATE_CONTENT);
        admin.get().uri("/api/admin/users/{id}", userId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.container.id").isEqualTo(containerId);

        other.post().uri("/api/containers/{id}/stop", containerId).exchange().expectStatus().isNotFound();
        String stop = JsonPath.read(body(user.post().uri("/api/containers/{id}/stop", containerId).exchange()
                .expectStatus().isAccepted()), "$.operationId");
        awaitSuccess(OperationId.of(stop));
        String again = JsonPath.read(body(user.post().uri("/api/containers/{id}/stop", containerId).exchange()
                .expectStatus().isAccepted()), "$.operationId");
        awaitSuccess(OperationId.of(again));
        String start = JsonPath.read(body(admin.post().uri("/api/containers/{id}/start", containerId).exchange()
                .expectStatus().isAccepted()), "$.operationId");
        awaitSuccess(OperationId.of(start));
        assertThat(awaitPage(username, 200).body()).isEqualTo(TEMPLATE_CONTENT);

        await("the container RUNNING again", () -> Optional.ofNullable(body(admin.get()
                .uri("/api/admin/users/{id}", userId).exchange())).filter(json -> json.contains("\"RUNNING\"")));
        String deletion = JsonPath.read(body(admin.delete().uri("/api/users/{id}", userId).exchange()
                .expectStatus().isAccepted()), "$.operationId");
        awaitSuccess(OperationId.of(deletion));
        assertThat(runtime.inspectContainer(docker, "gpudash-" + username)).isEmpty();
        assertThat(awaitPage(username, 404).statusCode()).isEqualTo(404);
    }

    /**
     * The same provisioning on a server whose engine is registered as ssh://, so that the Engine API travels over the
     * server's SSH login through dial-stdio: no endpoint of the application points at the engine's TCP port.
     */
    @Test
    void aUserIsProvisionedOnAServerWhoseEngineIsReachedOverSsh(@Autowired WebTestClient anonymous) throws Exception {
        WebTestClient admin = TestAdmin.signedIn(anonymous);
        String login = TestServices.sshUser() + "@" + TestServices.sshHost() + ":" + TestServices.sshPort();
        Map<String, Object> registration = Map.of("name", "ssh-" + UUID.randomUUID().toString().substring(0, 8),
                "host", TestServices.sshHost(), "dockerEndpoint", "ssh://" + login, "sshPort", TestServices.sshPort(),
                "sshUser", TestServices.sshUser(), "sshHostKey", Files.readString(TestServices.sshHostKeyFile()).strip());
        Map<String, Object> otherLogin = new java.util.HashMap<>(registration);
        otherLogin.put("dockerEndpoint", "ssh://nobody@" + TestServices.sshHost() + ":" + TestServices.sshPort());
        admin.post().uri("/api/admin/servers").contentType(MediaType.APPLICATION_JSON).bodyValue(otherLogin).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("dockerEndpoint")
                .jsonPath("$.errors[0].message").value(message -> assertThat((String) message)
                        .contains("must name the server's SSH login " + login));
        server = ServerId.of(JsonPath.read(body(admin.post().uri("/api/admin/servers")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(registration).exchange().expectStatus().isCreated()),
                "$.id"));
        await("the server in the read model", () -> jdbc.query("SELECT docker_endpoint FROM server_view WHERE id = ?",
                (rs, n) -> rs.getString(1), server.value()).stream().findFirst().filter(("ssh://" + login)::equals));
        // The sshd's own view of the connection (client address and port): the same before and after means one
        // authenticated connection carried the telemetry, the workspace and every Docker call between.
        SshTarget sshLogin = connections.ssh(server).orElseThrow();
        String sshConnection = shell.run(sshLogin, List.of("printenv", "SSH_CONNECTION"), WAIT).stdout();
        Requested requested = requestContainer("s");
        String username = requested.username();
        String containerName = requested.containerName();
        ContainerId container = requested.container();

        awaitSuccess(requested.provisioning());
        ContainerState running = runtime.inspectContainer(docker, containerName).orElseThrow();
        assertThat(running.running()).isTrue();
        assertThat(running.labels()).containsEntry(ContainerLabels.CONTAINER_ID, container.value());
        assertThat(root.resolve("workspaces").resolve(username).resolve(TEMPLATE_FILE)).hasContent(TEMPLATE_CONTENT);
        assertThat(awaitPage(username, 200).body()).isEqualTo(TEMPLATE_CONTENT);
        await("the container RUNNING in the read model", () -> containers.byId(container)
                .blockOptional().filter(v -> v.status() == ContainerStatus.RUNNING && running.id().equals(v.containerId())));
        await("a telemetry round that read the server over SSH", () -> jdbc.query(
                "SELECT status FROM server_view WHERE id = ?", (rs, n) -> rs.getString(1), server.value()).stream()
                .findFirst().filter("ONLINE"::equals));
        assertThat(shell.run(sshLogin, List.of("printenv", "SSH_CONNECTION"), WAIT).stdout())
                .as("one SSH connection for the provisioning and the telemetry").isEqualTo(sshConnection);

        OperationId removal = OperationId.random();
        commands.sendAndWait(new RemoveContainer(container, removal));
        awaitSuccess(removal);
        assertThat(runtime.inspectContainer(docker, containerName)).isEmpty();
        assertThat(awaitPage(username, 404).statusCode()).isEqualTo(404);
    }

    /** A new user's container asked for on {@link #server}; its name is removed from Docker after the test. */
    private record Requested(String username, String containerName, ContainerId container, OperationId provisioning) {
    }

    private Requested requestContainer(String usernamePrefix) {
        String username = usernamePrefix + UUID.randomUUID().toString().substring(0, 8);
        String containerName = "gpudash-" + username;
        containerNames.add(containerName);
        UserId user = UserId.random();
        ContainerId container = ContainerId.forUser(user);
        OperationId provisioning = OperationId.random();
        commands.sendAndWait(new RequestContainer(container, user, username, server, 0, provisioning));
        return new Requested(username, containerName, container, provisioning);
    }

    private static WebTestClient signedIn(WebTestClient client, String username, String password) {
        String token = JsonPath.read(body(client.post().uri("/api/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password)).exchange().expectStatus().isOk()),
                "$.token");
        return client.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }

    private static String body(WebTestClient.ResponseSpec response) {
        byte[] content = response.expectBody().returnResult().getResponseBodyContent();
        return content == null ? null : new String(content, StandardCharsets.UTF_8);
    }

    @Test
    void reconciliationRecordsDriftAndAMissingContainerAndRemovesAnOrphan() throws Exception {
        server = addLocalServer();
        Requested requested = requestContainer("r");
        String username = requested.username();
        String containerName = requested.containerName();
        ContainerId container = requested.container();
        await("the container RUNNING in the read model", () -> containers.byId(container)
                .blockOptional().filter(v -> v.status() == ContainerStatus.RUNNING));

        int portBefore = servicePort(containerName);
        runtime.stopContainer(docker, containerName, Duration.ofSeconds(5));
        reconciliation.reconcile(Instant.now());
        await("the container stopped outside found STOPPED", () -> containers.byId(container)
                .blockOptional().filter(v -> v.status() == ContainerStatus.STOPPED));

        runtime.startContainer(docker, containerName);
        assertThat(servicePort(containerName)).as("Docker gives a restarted container another port")
                .isNotEqualTo(portBefore);
        reconciliation.reconcile(Instant.now());
        await("the container started outside found RUNNING", () -> containers.byId(container)
                .blockOptional().filter(v -> v.status() == ContainerStatus.RUNNING));
        assertThat(awaitPage(username, 200).body()).as("the route follows the port Docker chose")
                .isEqualTo(TEMPLATE_CONTENT);

        runtime.removeContainer(docker, containerName, true);
        reconciliation.reconcile(Instant.now());
        ContainerView missing = await("the container removed outside found missing", () -> containers.byId(container)
                .blockOptional().filter(v -> v.status() == ContainerStatus.FAILED));
        assertThat(missing.failureReason()).contains(containerName + " was not found on its server");

        String orphanName = "gpudash-orphan-" + UUID.randomUUID().toString().substring(0, 8);
        containerNames.add(orphanName);
        String orphanId = runtime.createContainer(docker, new ContainerSpec(TestServices.dockerImage(), orphanName,
                Map.of(ContainerLabels.INSTALLATION, settings.installationId(),
                        ContainerLabels.CONTAINER_ID, ContainerId.forUser(UserId.random()).value()),
                0.5, 64L * 1024 * 1024, List.of(), root.resolve("workspaces").toString(), "/workspace", 8080,
                "127.0.0.1"));
        reconciliation.reconcile(Instant.now());
        assertThat(runtime.inspectContainer(docker, orphanId)).as("too young to be an orphan").isPresent();
        reconciliation.reconcile(Instant.now().plus(Duration.ofHours(1)));
        assertThat(runtime.inspectContainer(docker, orphanId)).isEmpty();
        assertThat(events.readEvents(server.value()).asStream().map(EventMessage::getPayload)
                .filter(OrphanContainerFound.class::isInstance).map(OrphanContainerFound.class::cast))
                .singleElement().satisfies(orphan -> {
                    assertThat(orphan.dockerContainerId()).isEqualTo(orphanId);
                    assertThat(orphan.removed()).isTrue();
                });
    }

    private int servicePort(String containerName) {
        return runtime.inspectContainer(docker, containerName).orElseThrow().publishedPorts().stream()
                .filter(port -> port.containerPort() == settings.servicePort()).findFirst().orElseThrow().hostPort();
    }

    private ServerId addLocalServer() throws IOException {
        ServerId id = ServerId.random();
        String hostKey = Files.readString(TestServices.sshHostKeyFile()).strip();
        commands.sendAndWait(new AddServer(id, "local-" + UUID.randomUUID().toString().substring(0, 8),
                new ServerConnection(TestServices.sshHost(), TestServices.dockerEndpoint(), TestServices.sshPort(),
                        TestServices.sshUser(), hostKey), 4));
        // The workers reach a server through the servers read model.
        await("the server in the read model", () -> Optional.of(jdbc.queryForObject(
                "SELECT COUNT(*) FROM server_view WHERE id = ?", Integer.class, id.value())).filter(n -> n == 1));
        return id;
    }

    private void awaitSuccess(OperationId operation) {
        String status = await("operation " + operation + " to finish", () -> Optional.ofNullable(operationStatus(operation))
                .filter(List.of("SUCCEEDED", "FAILED")::contains));
        if (!status.equals("SUCCEEDED")) {
            throw new AssertionError("operation " + operation + " is " + status + ": " + jdbc.queryForObject(
                    "SELECT error FROM operation_view WHERE id = ?", String.class, operation.value()));
        }
    }

    private String operationStatus(OperationId operation) {
        return jdbc.query("SELECT status FROM operation_view WHERE id = ?", (rs, n) -> rs.getString(1),
                operation.value()).stream().findFirst().orElse(null);
    }

    /** The container's web server needs a moment after a start, and nginx a moment after a reload. */
    private HttpResponse<String> awaitPage(String username, int expectedStatus) {
        URI page = URI.create("http://127.0.0.1:" + nginxPort + "/" + username + "/" + TEMPLATE_FILE);
        List<String> answers = new ArrayList<>();
        return await(() -> "GET " + page + " answering " + expectedStatus + " (last answers: "
                + answers.subList(Math.max(0, answers.size() - 3), answers.size()) + ", routes: "
                + readRoutes() + ")", () -> {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                answers.add(response.statusCode() + " " + response.body().strip());
                return Optional.of(response).filter(r -> r.statusCode() == expectedStatus);
            } catch (IOException notYet) {
                answers.add(notYet.toString());
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    private static String readRoutes() {
        try {
            return Files.readString(root.resolve("nginx/routes.conf"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static <T> T await(String what, Supplier<Optional<T>> check) {
        return Eventually.await(what, WAIT, check::get);
    }

    private static <T> T await(Supplier<String> what, Supplier<Optional<T>> check) {
        return Eventually.await(what, WAIT, check::get);
    }
}
