package com.gpudash.infra.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerSpec;
import com.gpudash.agent.ContainerState;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.api.cleanup.ServerCleanupCompleted;
import com.gpudash.api.cleanup.ServerCleanupContainerRemoved;
import com.gpudash.api.cleanup.ServerCleanupImageRemoved;
import com.gpudash.api.cleanup.ServerCleanupRequested;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import com.jayway.jsonpath.JsonPath;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code POST /api/admin/servers/{id}/cleanup} on the real Docker Engine, from the request to the operation's
 * result. The engine is shared with other tests, so this context confines cleanups to the label {@value #SCOPE}
 * ({@code gpudash.cleanup.only-labelled}), which only this class puts on what it makes; it has its own database.
 */
@RequiresServices(Service.DOCKER)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "DATA_DIR=target/test-data/cleanup", "LOG_FILE=target/test-data/cleanup.log", "management.server.port=0",
        "ADMIN_PASSWORD=" + TestAdmin.PASSWORD, "gpudash.security.bcrypt-cost=4",
        "gpudash.cleanup.only-labelled=" + ServerCleanupTest.SCOPE})
class ServerCleanupTest {

    static final String SCOPE = "cleanup.test.e2e";
    private static final String ASSIGNMENT = "gpudash.assignment";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int WORKER_THREADS = 8;

    @Autowired
    ContainerRuntime runtime;
    @Autowired
    EventStore events;
    @Autowired
    @Qualifier("workerExecutor")
    ExecutorService workers;

    private final String run = "cleanup-" + UUID.randomUUID().toString().substring(0, 8);
    private final DockerEndpoint engine = DockerEndpoint.of(TestServices.dockerEndpoint());
    private final List<String> imagesToRemove = new ArrayList<>();
    private WebTestClient client;
    private String serverId;

    @BeforeEach
    void registerTheLocalEngine(@Autowired WebTestClient anonymous) {
        client = TestAdmin.signedIn(anonymous);
        String body = client.post().uri("/api/admin/servers").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", run, "host", "127.0.0.1", "dockerEndpoint", TestServices.dockerEndpoint()))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        serverId = JsonPath.read(body, "$.id");
    }

    @AfterEach
    void removeWhatThisTestMade() {
        for (ContainerState container : runtime.listContainers(engine, Map.of(SCOPE, run))) {
            runtime.removeContainer(engine, container.id(), true);
        }
        for (String image : imagesToRemove) {
            if (runtime.inspectImage(engine, image).isPresent()) {
                runtime.removeImage(engine, image, true);
            }
        }
        client.delete().uri("/api/admin/servers/{id}?force=true", serverId).exchange();
    }

    @Test
    void aDryRunListsWhatWouldGoThenACleanupRemovesItAndOnlyIt() throws Exception {
        String stray = container("cleanup-stray-" + run, Map.of(SCOPE, run));
        String managed = container("cleanup-managed-" + run, Map.of(SCOPE, run, ASSIGNMENT, "a-" + run));
        String tag = run + ":1";
        imagesToRemove.add(tag);
        String base = "FROM " + TestServices.dockerImage() + "\nLABEL " + SCOPE + "=" + run
                + "\nRUN head -c 200000 /dev/urandom > /junk && echo ";
        String dangling = runtime.buildImage(engine, base + "first\n", tag);
        imagesToRemove.add(dangling);
        String current = runtime.buildImage(engine, base + "second\n", tag);
        assertThat(runtime.inspectImage(engine, dangling).orElseThrow().tags()).isEmpty();
        // The dangling image's own layer is its RUN step: what it adds to the test image it was built on. The stray
        // container was never started, so its writable layer is empty; together, what the engine must report.
        long danglingLayer = runtime.inspectImage(engine, dangling).orElseThrow().sizeBytes()
                - runtime.inspectImage(engine, TestServices.dockerImage()).orElseThrow().sizeBytes();
        assertThat(danglingLayer).isGreaterThanOrEqualTo(200_000);

        String preview = awaitOperation(accepted(cleanup(Map.of("dryRun", true))));
        assertThat(JsonPath.<String>read(preview, "$.status")).as(preview).isEqualTo("SUCCEEDED");
        assertThat(JsonPath.<String>read(preview, "$.type")).isEqualTo("CLEANUP_SERVER");
        assertThat(JsonPath.<Boolean>read(preview, "$.result.dryRun")).isTrue();
        assertThat(JsonPath.<List<String>>read(preview, "$.result.containers")).containsExactly(stray);
        assertThat(JsonPath.<List<String>>read(preview, "$.result.images")).containsExactly(dangling);
        assertThat(JsonPath.<Integer>read(preview, "$.result.containersRemoved")).isZero();
        assertThat(JsonPath.<Integer>read(preview, "$.result.imagesRemoved")).isZero();
        assertThat(JsonPath.<Number>read(preview, "$.result.bytesReclaimed").longValue()).isZero();
        assertThat(runtime.inspectContainer(engine, stray)).as("a dry run removes nothing").isPresent();
        assertThat(runtime.inspectImage(engine, dangling)).as("a dry run removes nothing").isPresent();

        String operation;
        CountDownLatch release = occupyTheWorkers();
        try {
            operation = accepted(cleanup(Map.of()));
            cleanup(Map.of("removeDanglingImages", false)).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").value(detail ->
                            assertThat((String) detail).contains("is being cleaned up already").contains(operation));
        } finally {
            release.countDown();
        }
        String done = awaitOperation(operation);
        assertThat(JsonPath.<String>read(done, "$.status")).as(done).isEqualTo("SUCCEEDED");
        assertThat(JsonPath.<Boolean>read(done, "$.result.dryRun")).isFalse();
        assertThat(JsonPath.<List<String>>read(done, "$.result.containers")).containsExactly(stray);
        assertThat(JsonPath.<List<String>>read(done, "$.result.images")).containsExactly(dangling);
        assertThat(JsonPath.<Integer>read(done, "$.result.containersRemoved")).isEqualTo(1);
        assertThat(JsonPath.<Integer>read(done, "$.result.imagesRemoved"))
                .isEqualTo(JsonPath.<List<String>>read(done, "$.result.images").size());
        assertThat(JsonPath.<Number>read(done, "$.result.bytesReclaimed").longValue()).isEqualTo(danglingLayer);
        assertThat(runtime.inspectContainer(engine, stray)).isEmpty();
        assertThat(runtime.inspectImage(engine, dangling)).isEmpty();
        ServerId server = ServerId.of(serverId);
        OperationId cleanup = OperationId.of(operation);
        List<Object> history = events.readEvents(serverId).asStream().<Object>map(Message::getPayload)
                .filter(event -> event.getClass().getPackage() == ServerCleanupCompleted.class.getPackage())
                .filter(event -> !(event instanceof ServerCleanupRequested requested) || requested.operationId().equals(cleanup))
                .filter(event -> !(event instanceof ServerCleanupCompleted completed) || completed.operationId().equals(cleanup))
                .toList();
        assertThat(history).as("the server's history records the request, each removal and the outcome")
                .containsExactly(new ServerCleanupRequested(server, cleanup, false, true, true),
                        new ServerCleanupContainerRemoved(server, cleanup, stray),
                        new ServerCleanupImageRemoved(server, cleanup, dangling),
                        new ServerCleanupCompleted(server, cleanup, false, 1, 1, danglingLayer, List.of(stray),
                                List.of(dangling)));
        assertThat(runtime.inspectContainer(engine, managed)).as("a managed container stays").isPresent();
        assertThat(runtime.inspectImage(engine, current)).as("a tagged image stays").isPresent();
        assertThat(runtime.inspectImage(engine, TestServices.dockerImage())).isPresent();

        String next = awaitOperation(accepted(cleanup(Map.of("removeStoppedContainers", false))));
        assertThat(JsonPath.<String>read(next, "$.status")).as("the server takes cleanups again: " + next).isEqualTo("SUCCEEDED");
        assertThat(JsonPath.<List<String>>read(next, "$.result.containers")).isEmpty();
        assertThat(runtime.inspectContainer(engine, managed)).isPresent();
    }

    @Test
    void anUnknownServerIsNotFoundAndABadBodyIsRefused() {
        client.post().uri("/api/admin/servers/{id}/cleanup", UUID.randomUUID()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of()).exchange()
                .expectStatus().isNotFound().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        cleanup(Map.of("dryRun", "yes")).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        cleanup(Map.of("dryRun", true, "force", true)).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        cleanup(Map.of("removeStoppedContainers", false, "removeDanglingImages", false)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("A cleanup must remove stopped containers, dangling images or both");
        client.post().uri("/api/admin/servers/{id}/cleanup", serverId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"dryRun\": tru").exchange().expectStatus().isBadRequest();
    }

    private WebTestClient.ResponseSpec cleanup(Map<String, Object> body) {
        return client.post().uri("/api/admin/servers/{id}/cleanup", serverId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private static String accepted(WebTestClient.ResponseSpec response) {
        String body = response.expectStatus().isAccepted().expectBody(String.class).returnResult().getResponseBody();
        return JsonPath.read(body, "$.operationId");
    }

    /**
     * Keeps every worker thread busy until the latch opens, so that a cleanup cannot finish before the test has sent
     * its second request: the conflict is then certain, not a race the test usually wins.
     */
    private CountDownLatch occupyTheWorkers() throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(WORKER_THREADS);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < WORKER_THREADS; i++) {
            workers.execute(() -> {
                busy.countDown();
                try {
                    release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(busy.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("every worker thread is held").isTrue();
        return release;
    }

    private String container(String name, Map<String, String> labels) {
        return runtime.createContainer(engine, new ContainerSpec(TestServices.dockerImage(), name, labels, 0.5, 64L << 20,
                List.of(), "/tmp", "/workspace", 8080, "127.0.0.1"));
    }

    private String awaitOperation(String operationId) {
        AtomicReference<String> last = new AtomicReference<>();
        return Eventually.await(() -> "operation " + operationId + " to finish: " + last.get(), WAIT, () -> {
            last.set(client.get().uri("/api/operations/{id}", operationId).exchange()
                    .returnResult(String.class).getResponseBody().blockFirst());
            return Optional.ofNullable(last.get())
                    .filter(body -> body.contains("\"SUCCEEDED\"") || body.contains("\"FAILED\""));
        });
    }
}
