package com.gpudash.infra.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.ContainerStepFailed;
import com.gpudash.api.container.ProvisioningAbandoned;
import com.gpudash.api.container.ProvisioningFailed;
import com.gpudash.api.container.RequestContainer;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.AddServer;
import com.gpudash.api.server.ServerCapacityReleased;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import com.gpudash.infra.ProvisioningSite;
import com.gpudash.infra.TestAdmin;
import com.gpudash.saga.container.ContainerLabels;
import com.gpudash.saga.container.ContainerSettings;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestDockerd;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Docker Engine of a server goes away in the middle of a provisioning. The engine is one of the test's own
 * ({@link TestDockerd}), so killing it disturbs no one else; it is killed right after the request is recorded, so
 * the container step is the one that meets the outage (placement and workspace do not need the engine). The retry
 * and timeout settings are short so that both outcomes take seconds: back within {@code PROVISION_TIMEOUT}, the
 * retries succeed; down past it, the provisioning is undone and fails, and nothing of it is left.
 */
@RequiresServices({Service.DOCKERD, Service.OPENSSH, Service.NGINX})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "DATA_DIR=target/test-data/engine-outage", "LOG_FILE=target/test-data/engine-outage.log",
        "management.server.port=0",
        "SSH_PRIVATE_KEY=${TEST_SSH_PRIVATE_KEY:/var/lib/gpudash-test/ssh/id_ed25519}",
        "WORKDIR_TEMPLATE=${gpudash.test.outage-root}/template",
        "WORKDIR_DEPLOY=${gpudash.test.outage-root}/workspaces",
        "NGINX_CONFIG_FILE=${gpudash.test.outage-root}/nginx/routes.conf",
        "NGINX_TEST_COMMAND=${TEST_NGINX_BIN:/usr/sbin/nginx} -p ${gpudash.test.outage-root}/nginx"
                + " -c ${gpudash.test.outage-root}/nginx/nginx.conf -t",
        "NGINX_RELOAD_COMMAND=${TEST_NGINX_BIN:/usr/sbin/nginx} -p ${gpudash.test.outage-root}/nginx"
                + " -c ${gpudash.test.outage-root}/nginx/nginx.conf -s reload",
        "DOCKER_IMAGE=gpu-dev-env-test", "DOCKER_TAG=latest", "DOCKER_CPU=0.5", "DOCKER_MEM_LMT=64m",
        "CONTAINER_PUBLISH_IP=127.0.0.1",
        "PROVISION_TIMEOUT=" + EngineOutageTest.TIMEOUT_SECONDS + "s",
        // Retries about every second, and enough of them that the timeout, not the count, ends an outage.
        "gpudash.provisioning.retry-base=250ms", "gpudash.provisioning.retry-cap=1s",
        "gpudash.provisioning.max-attempts=60", "gpudash.provisioning.answer-timeout=10s",
        // A telemetry round would mark the server OFFLINE during the outage; this test is about the saga alone.
        "TELEMETRY_INTERVAL=1h", "RECONCILE_INTERVAL=1h",
        "ADMIN_PASSWORD=" + TestAdmin.PASSWORD, "gpudash.security.bcrypt-cost=4"})
class EngineOutageTest {

    static final int TIMEOUT_SECONDS = 20;
    private static final String ROOT_PROPERTY = "gpudash.test.outage-root";
    private static final String TEMPLATE_FILE = "hello.txt";
    private static final String TEMPLATE_CONTENT = "hello after the outage\n";
    private static final Duration WAIT = Duration.ofSeconds(TIMEOUT_SECONDS + 40);

    private static ProvisioningSite site;
    private static Path root;
    private static TestDockerd engine;

    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventStore events;
    @Autowired
    ContainerRuntime runtime;
    @Autowired
    ContainerSettings settings;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private DockerEndpoint docker;
    private ServerId server;

    @BeforeAll
    static void startEngineAndNginx() throws Exception {
        site = ProvisioningSite.open("gpudash-outage-", TEMPLATE_FILE, TEMPLATE_CONTENT);
        root = site.root();
        System.setProperty(ROOT_PROPERTY, root.toString());
        engine = TestDockerd.start();
        engine.loadImage(TestServices.dockerImage());
    }

    @AfterAll
    static void stopEverything() throws Exception {
        System.clearProperty(ROOT_PROPERTY);
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            if (site != null) {
                site.close();
            }
        }
    }

    @BeforeEach
    void engineUpAndServerRegistered() throws Exception {
        if (!engine.isRunning()) {
            engine.restart();
        }
        docker = DockerEndpoint.of(engine.endpoint());
        // A server of each test's own, so that one test's reservations never meet the other's.
        server = ServerId.random();
        String hostKey = Files.readString(TestServices.sshHostKeyFile()).strip();
        commands.sendAndWait(new AddServer(server, "resilience-outage-" + UUID.randomUUID().toString().substring(0, 8),
                new ServerConnection(TestServices.sshHost(), engine.endpoint(), TestServices.sshPort(),
                        TestServices.sshUser(), hostKey), 4));
        await("the server in the read model", () -> Optional.of(jdbc.queryForObject(
                "SELECT COUNT(*) FROM server_view WHERE id = ?", Integer.class, server.value())).filter(n -> n == 1));
    }

    @Test
    void anEngineBackWithinTheTimeoutIsRetriedUntilTheContainerRuns() throws Exception {
        String username = "resilience-up-" + UUID.randomUUID().toString().substring(0, 6);
        UserId user = UserId.random();
        ContainerId container = ContainerId.forUser(user);
        OperationId provisioning = OperationId.random();

        commands.sendAndWait(new RequestContainer(container, user, username, server, 0, provisioning));
        engine.kill();
        ContainerStepFailed outage = awaitEngineOutageMet(container);
        engine.restart();

        assertThat(awaitOperation(provisioning)).as(operationError(provisioning)).isEqualTo("SUCCEEDED");
        assertThat(outage.retriable()).isTrue();
        assertThat(runtime.inspectContainer(docker, "gpudash-" + username)).hasValueSatisfying(running -> {
            assertThat(running.running()).isTrue();
            assertThat(running.labels()).containsEntry(ContainerLabels.CONTAINER_ID, container.value());
        });
        assertThat(ourContainers(username)).hasSize(1);
        assertThat(awaitPage(username).body()).isEqualTo(TEMPLATE_CONTENT);
        assertThat(payloads(container.value())).noneMatch(ProvisioningAbandoned.class::isInstance);
    }

    @Test
    void anEngineDownPastTheTimeoutFailsTheProvisioningAndLeavesNothingBehind() throws Exception {
        String username = "resilience-down-" + UUID.randomUUID().toString().substring(0, 6);
        UserId user = UserId.random();
        ContainerId container = ContainerId.forUser(user);
        OperationId provisioning = OperationId.random();

        commands.sendAndWait(new RequestContainer(container, user, username, server, 0, provisioning));
        engine.kill();
        awaitEngineOutageMet(container);
        ProvisioningAbandoned abandoned = await("the provisioning abandoned after " + TIMEOUT_SECONDS + " s",
                () -> payloads(container.value()).stream().filter(ProvisioningAbandoned.class::isInstance)
                        .map(ProvisioningAbandoned.class::cast).findFirst());
        assertThat(abandoned.reason()).contains("did not finish within " + TIMEOUT_SECONDS + " seconds",
                "create the container", "Docker Engine could not be reached");
        // The outage ends while the compensation is still trying to remove the container the create may have made.
        engine.restart();

        assertThat(awaitOperation(provisioning)).isEqualTo("FAILED");
        ProvisioningFailed failed = payloads(container.value()).stream().filter(ProvisioningFailed.class::isInstance)
                .map(ProvisioningFailed.class::cast).findFirst().orElseThrow();
        assertThat(failed.reason()).isEqualTo(abandoned.reason()).doesNotContain("Cleaning up failed");
        assertThat(ourContainers(username)).as("no container of the provisioning on the engine").isEmpty();
        assertThat(Files.readString(root.resolve("nginx/routes.conf"))).doesNotContain("/" + username + "/");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM route_view WHERE username = ?", Integer.class, username))
                .isZero();
        assertThat(payloads(server.value())).filteredOn(ServerCapacityReleased.class::isInstance)
                .map(ServerCapacityReleased.class::cast)
                .anySatisfy(released -> assertThat(released.containerId()).isEqualTo(container));
        await("the reservation given back in the servers read model", () -> Optional.of(jdbc.queryForObject(
                "SELECT containers FROM server_view WHERE id = ?", Integer.class, server.value()))
                .filter(count -> count == 0));
        await("the container FAILED in the read model", () -> Optional.ofNullable(jdbc.query(
                "SELECT status FROM container_view WHERE id = ?", (rs, n) -> rs.getString(1), container.value())
                .stream().findFirst().orElse(null)).filter("FAILED"::equals));
    }

    /** The container step met the dead engine and was told it may try again. */
    private ContainerStepFailed awaitEngineOutageMet(ContainerId container) {
        ContainerStepFailed failure = await("the container step to fail on the dead engine", () ->
                payloads(container.value()).stream().filter(ContainerStepFailed.class::isInstance)
                        .map(ContainerStepFailed.class::cast).findFirst());
        assertThat(failure.step()).as(engine.log()).isEqualTo(ContainerStep.CREATE);
        assertThat(failure.reason()).contains("Docker Engine could not be reached");
        return failure;
    }

    private List<?> ourContainers(String username) {
        return runtime.listContainers(docker, ContainerLabels.ofInstallation(settings.installationId())).stream()
                .filter(state -> username.equals(state.labels().get(ContainerLabels.USER))).toList();
    }

    private List<Object> payloads(String aggregateId) {
        return events.readEvents(aggregateId).asStream().map(EventMessage::getPayload).map(Object.class::cast)
                .toList();
    }

    private String awaitOperation(OperationId operation) {
        return await("operation " + operation + " to finish", () -> jdbc.query(
                "SELECT status FROM operation_view WHERE id = ?", (rs, n) -> rs.getString(1), operation.value())
                .stream().findFirst().filter(List.of("SUCCEEDED", "FAILED")::contains));
    }

    private String operationError(OperationId operation) {
        return jdbc.query("SELECT error FROM operation_view WHERE id = ?", (rs, n) -> String.valueOf(rs.getString(1)),
                operation.value()).stream().findFirst().orElse("(no operation)");
    }

    /** nginx needs a moment after its reload. */
    private HttpResponse<String> awaitPage(String username) {
        URI page = URI.create("http://127.0.0.1:" + site.nginx().port() + "/" + username + "/" + TEMPLATE_FILE);
        return await("GET " + page + " answering 200", () -> {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                return Optional.of(response).filter(r -> r.statusCode() == 200);
            } catch (IOException notYet) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    private static <T> T await(String what, Supplier<Optional<T>> check) {
        return Eventually.await(what, WAIT, check::get);
    }
}
