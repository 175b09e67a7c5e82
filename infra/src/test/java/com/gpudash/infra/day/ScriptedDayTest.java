package com.gpudash.infra.day;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerSpec;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.infra.ProvisioningSite;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices.Service;
import com.gpudash.testsupport.TestServices;
import com.jayway.jsonpath.JsonPath;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One scripted day on the real services, read back from the audit log: registrations, an approval and the
 * provisioning it starts, a rejection, failed logins (a wrong password and an unknown user, which must read
 * alike), a call refused by RBAC, a stop, a clean-up and a deletion. Every request names its correlation id
 * ({@code X-Correlation-Id: day-NN-…}), so each step's entries, the admin's and the system's it set off, are
 * asserted exactly and in order. The CSV export of the same log must parse with a standard reader and hold the
 * same rows. Its own database; clean-ups are confined to a label only this test puts on what it makes.
 */
@RequiresServices({Service.DOCKER, Service.OPENSSH, Service.NGINX})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "DATA_DIR=target/test-data/day", "LOG_FILE=target/test-data/day.log", "management.server.port=0",
        "ADMIN_PASSWORD=" + TestAdmin.PASSWORD, "gpudash.security.bcrypt-cost=4",
        "SSH_PRIVATE_KEY=${TEST_SSH_PRIVATE_KEY:/var/lib/gpudash-test/ssh/id_ed25519}",
        "WORKDIR_TEMPLATE=${gpudash.day.root}/template", "WORKDIR_DEPLOY=${gpudash.day.root}/workspaces",
        "NGINX_CONFIG_FILE=${gpudash.day.root}/nginx/routes.conf",
        "NGINX_TEST_COMMAND=${TEST_NGINX_BIN:/usr/sbin/nginx} -p ${gpudash.day.root}/nginx"
                + " -c ${gpudash.day.root}/nginx/nginx.conf -t",
        "NGINX_RELOAD_COMMAND=${TEST_NGINX_BIN:/usr/sbin/nginx} -p ${gpudash.day.root}/nginx"
                + " -c ${gpudash.day.root}/nginx/nginx.conf -s reload",
        "DOCKER_IMAGE=gpu-dev-env-test", "DOCKER_TAG=latest", "DOCKER_CPU=0.5", "DOCKER_MEM_LMT=64m",
        "CONTAINER_PUBLISH_IP=127.0.0.1", "PROVISION_TIMEOUT=60s",
        "gpudash.cleanup.only-labelled=" + ScriptedDayTest.SCOPE})
class ScriptedDayTest {

    static final String SCOPE = "gpudash.test.day";
    private static final String ROOT_PROPERTY = "gpudash.day.root";
    private static final String PASSWORD = "correct horse battery";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static ProvisioningSite site;

    @Autowired
    WebTestClient client;
    @Autowired
    ContainerRuntime runtime;

    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final DockerEndpoint engine = DockerEndpoint.of(TestServices.dockerEndpoint());
    private final List<String> containersToRemove = new ArrayList<>();

    @BeforeAll
    static void startNginx() throws Exception {
        site = ProvisioningSite.open("gpudash-day-", "hello.txt", "hello\n");
        System.setProperty(ROOT_PROPERTY, site.root().toString());
    }

    @AfterAll
    static void stopNginx() throws Exception {
        System.clearProperty(ROOT_PROPERTY);
        if (site != null) {
            site.close();
        }
    }

    @AfterEach
    void removeWhatTheDayMade() {
        for (String name : containersToRemove) {
            runtime.inspectContainer(engine, name).ifPresent(left -> runtime.removeContainer(engine, left.id(), true));
        }
    }

    @Test
    void theAuditLogTellsTheDayExactlyAndItsCsvExportHasTheSameRows() throws Exception {
        String alice = "alice-" + run;
        String bob = "bob-" + run;
        containersToRemove.add("gpudash-" + alice);
        Instant dawn = Instant.now();

        String aliceId = JsonPath.read(call(HttpMethod.POST, "/api/register", null, "day-01-register-alice",
                Map.of("username", alice, "password", PASSWORD, "email", alice + "@example.org"), 201), "$.user.id");
        String bobId = JsonPath.read(call(HttpMethod.POST, "/api/register", null, "day-02-register-bob",
                Map.of("username", bob, "password", PASSWORD, "email", bob + "@example.org"), 201), "$.user.id");
        String admin = JsonPath.read(call(HttpMethod.POST, "/api/login", null, "day-03-admin-login",
                Map.of("username", TestAdmin.USERNAME, "password", TestAdmin.PASSWORD), 200), "$.token");
        String serverId = JsonPath.read(call(HttpMethod.POST, "/api/admin/servers", admin, "day-04-add-server",
                Map.of("name", "day-" + run, "host", TestServices.sshHost(),
                        "dockerEndpoint", TestServices.dockerEndpoint(), "sshPort", TestServices.sshPort(),
                        "sshUser", TestServices.sshUser(),
                        "sshHostKey", Files.readString(TestServices.sshHostKeyFile()).strip()), 201), "$.id");
        String provisioning = JsonPath.read(call(HttpMethod.POST, "/api/admin/users/" + aliceId + "/approve", admin,
                "day-05-approve-alice", Map.of("serverId", serverId, "gpuCount", 0), 202), "$.operationId");
        awaitSucceeded(provisioning, admin);
        call(HttpMethod.POST, "/api/admin/users/" + bobId + "/reject", admin, "day-06-reject-bob",
                Map.of("reason", "not in the lab"), 200);
        call(HttpMethod.POST, "/api/login", null, "day-07-bob-wrong-password",
                Map.of("username", bob, "password", "not the password"), 401);
        call(HttpMethod.POST, "/api/login", null, "day-08-unknown-user",
                Map.of("username", "nobody-" + run, "password", "not the password"), 401);
        String aliceToken = JsonPath.read(call(HttpMethod.POST, "/api/login", null, "day-09-alice-login",
                Map.of("username", alice, "password", PASSWORD), 200), "$.token");
        call(HttpMethod.GET, "/api/admin/users", aliceToken, "day-10-alice-lists-users", null, 403);
        String containerId = JsonPath.read(call(HttpMethod.GET, "/api/user/container/status", aliceToken,
                "day-11-alice-status", null, 200), "$.id");
        String stop = JsonPath.read(call(HttpMethod.POST, "/api/containers/" + containerId + "/stop", aliceToken,
                "day-12-alice-stops", null, 202), "$.operationId");
        awaitSucceeded(stop, admin);
        String stray = "day-stray-" + run;
        containersToRemove.add(stray);
        runtime.createContainer(engine, new ContainerSpec(TestServices.dockerImage(), stray, Map.of(SCOPE, run),
                0.5, 64L << 20, List.of(), "/tmp", "/workspace", 8080, "127.0.0.1"));
        String cleanup = JsonPath.read(call(HttpMethod.POST, "/api/admin/servers/" + serverId + "/cleanup", admin,
                "day-13-cleanup", Map.of("removeDanglingImages", false), 202), "$.operationId");
        String cleaned = awaitSucceeded(cleanup, admin);
        assertThat(JsonPath.<Integer>read(cleaned, "$.result.containersRemoved")).isEqualTo(1);
        String removal = JsonPath.read(call(HttpMethod.DELETE, "/api/users/" + aliceId, admin, "day-14-delete-alice",
                null, 202), "$.operationId");
        awaitSucceeded(removal, admin);
        call(HttpMethod.POST, "/api/logout", admin, "day-15-admin-logout", null, 204);
        Instant dusk = Instant.now();

        String reader = "Bearer " + JsonPath.read(call(HttpMethod.POST, "/api/login", null, "reading-the-day",
                Map.of("username", TestAdmin.USERNAME, "password", TestAdmin.PASSWORD), 200), "$.token");
        Map<String, List<String>> day = awaitDay(reader, dawn, dusk);
        String system = "system/system";
        String adminActor = TestAdmin.USERNAME + "/ADMIN";
        String aliceActor = alice + "/REGULAR";

        String anonymous = "null/null";
        String assignment = " ContainerAssignment " + containerId;
        String server = " Server " + serverId;

        assertThat(day.get("day-01-register-alice")).containsExactly(anonymous + " RegisterUser SUCCESS User " + aliceId);
        assertThat(day.get("day-02-register-bob")).containsExactly(anonymous + " RegisterUser SUCCESS User " + bobId);
        assertThat(day.get("day-03-admin-login")).containsExactly(adminActor + " Login SUCCESS User");
        assertThat(day.get("day-04-add-server")).containsExactly(adminActor + " AddServer SUCCESS" + server);
        // A flow: the request's own entries first, then what the system did for it under the same correlation id.
        // The causal chain of the container's steps is in order; the operation's bookkeeping runs beside it.
        // The container request follows from the approval, as the system's, in the approval's transaction.
        assertFlow(day.get("day-05-approve-alice"), List.of(adminActor + " ApproveUser SUCCESS User " + aliceId),
                List.of(system + " RequestContainer SUCCESS" + assignment,
                        system + " StartOperation SUCCESS Operation " + provisioning,
                        system + " ReserveServerCapacity SUCCESS" + server,
                        system + " RecordContainerPlaced SUCCESS" + assignment,
                        system + " MarkOperationRunning SUCCESS Operation " + provisioning,
                        system + " RecordWorkspacePrepared SUCCESS" + assignment,
                        system + " RecordDockerContainerCreated SUCCESS" + assignment,
                        system + " RecordDockerContainerStarted SUCCESS" + assignment,
                        system + " RecordRouteActivated SUCCESS" + assignment,
                        system + " CompleteOperation SUCCESS Operation " + provisioning),
                List.of(system + " RequestContainer SUCCESS" + assignment,
                        system + " ReserveServerCapacity SUCCESS" + server,
                        system + " RecordContainerPlaced SUCCESS" + assignment,
                        system + " RecordWorkspacePrepared SUCCESS" + assignment,
                        system + " RecordDockerContainerCreated SUCCESS" + assignment,
                        system + " RecordDockerContainerStarted SUCCESS" + assignment,
                        system + " RecordRouteActivated SUCCESS" + assignment));
        assertThat(day.get("day-06-reject-bob")).containsExactly(adminActor + " RejectUser SUCCESS User " + bobId);
        // A wrong password and an unknown user read alike: the name typed, no role, no target, the same words.
        assertThat(day.get("day-07-bob-wrong-password")).containsExactly(bob + "/null Login FAILURE null");
        assertThat(day.get("day-08-unknown-user")).containsExactly("nobody-" + run + "/null Login FAILURE null");
        assertThat(detailOf(reader, dawn, dusk, "day-07-bob-wrong-password"))
                .isEqualTo(detailOf(reader, dawn, dusk, "day-08-unknown-user"));
        assertThat(day.get("day-09-alice-login")).containsExactly(aliceActor + " Login SUCCESS User");
        assertThat(day.get("day-10-alice-lists-users")).containsExactly(
                aliceActor + " AccessDenied DENIED Route /api/admin/users");
        assertThat(day).as("a read changes nothing and is not audited").doesNotContainKey("day-11-alice-status");
        assertFlow(day.get("day-12-alice-stops"), List.of(aliceActor + " StopContainer SUCCESS" + assignment),
                List.of(system + " StartOperation SUCCESS Operation " + stop,
                        system + " MarkOperationRunning SUCCESS Operation " + stop,
                        system + " RecordDockerContainerStopped SUCCESS" + assignment,
                        system + " CompleteOperation SUCCESS Operation " + stop),
                List.of(system + " RecordDockerContainerStopped SUCCESS" + assignment,
                        system + " CompleteOperation SUCCESS Operation " + stop));
        assertFlow(day.get("day-13-cleanup"), List.of(adminActor + " RequestServerCleanup SUCCESS" + server),
                List.of(system + " StartOperation SUCCESS Operation " + cleanup,
                        system + " MarkOperationRunning SUCCESS Operation " + cleanup,
                        system + " RecordServerCleanupResult SUCCESS" + server,
                        system + " CompleteOperation SUCCESS Operation " + cleanup),
                List.of(system + " RecordServerCleanupResult SUCCESS" + server,
                        system + " CompleteOperation SUCCESS Operation " + cleanup));
        assertFlow(day.get("day-14-delete-alice"), List.of(adminActor + " DeleteUser SUCCESS User " + aliceId),
                List.of(system + " RemoveContainer SUCCESS" + assignment,
                        system + " StartOperation SUCCESS Operation " + removal,
                        system + " MarkOperationRunning SUCCESS Operation " + removal,
                        system + " RecordRouteDeactivated SUCCESS" + assignment,
                        system + " RecordDockerContainerRemoved SUCCESS" + assignment,
                        system + " ReleaseServerCapacity SUCCESS" + server,
                        system + " CompleteOperation SUCCESS Operation " + removal),
                List.of(system + " RemoveContainer SUCCESS" + assignment,
                        system + " RecordRouteDeactivated SUCCESS" + assignment,
                        system + " RecordDockerContainerRemoved SUCCESS" + assignment,
                        system + " ReleaseServerCapacity SUCCESS" + server));
        assertThat(day.get("day-15-admin-logout")).containsExactly(adminActor + " Logout SUCCESS User");
        assertThat(day.keySet()).as("the steps appear in the order they happened")
                .containsSubsequence(day.keySet().stream().sorted().toList());

        assertThat(csvRows(reader, dawn, dusk)).isEqualTo(jsonRows(reader, dawn, dusk));
    }

    /**
     * A request's own entries exactly and first; then exactly the system's entries it set off, the causal chain
     * among them in order.
     */
    private static void assertFlow(List<String> entries, List<String> requested, List<String> bySystem,
                                   List<String> chain) {
        assertThat(entries).as("entries of one flow").isNotNull();
        assertThat(entries.subList(0, Math.min(requested.size(), entries.size()))).isEqualTo(requested);
        assertThat(entries.subList(requested.size(), entries.size())).containsExactlyInAnyOrderElementsOf(bySystem)
                .containsSubsequence(chain);
    }

    private String detailOf(String reader, Instant dawn, Instant dusk, String correlationId) {
        return jsonRows(reader, dawn, dusk).stream().filter(row -> correlationId.equals(row.get("correlationId")))
                .map(row -> (String) row.get("detail")).findFirst().orElseThrow();
    }

    /** The entries of each of the day's correlation ids, oldest first, as "actor/role action outcome target". */
    private Map<String, List<String>> awaitDay(String reader, Instant dawn, Instant dusk) {
        AtomicReference<Map<String, List<String>>> last = new AtomicReference<>();
        return Eventually.await(() -> "the day's last entry; the log has " + last.get(), WAIT, () -> {
            Map<String, List<String>> day = new LinkedHashMap<>();
            List<Map<String, Object>> oldestFirst = new ArrayList<>(jsonRows(reader, dawn, dusk));
            Collections.reverse(oldestFirst);
            for (Map<String, Object> entry : oldestFirst) {
                String correlationId = (String) entry.get("correlationId");
                if (correlationId != null && correlationId.startsWith("day-")) {
                    day.computeIfAbsent(correlationId, id -> new ArrayList<>()).add(summary(entry));
                }
            }
            last.set(day);
            return Optional.of(day).filter(logged -> logged.containsKey("day-15-admin-logout"));
        });
    }

    /** "actor/role action outcome targetType targetId"; an absent value reads "null", a login's target id is left out. */
    private static String summary(Map<String, Object> entry) {
        boolean session = List.of("Login", "Logout").contains(entry.get("action"));
        String targetId = text(entry, "targetId");
        return text(entry, "actor") + "/" + text(entry, "actorRole") + " " + entry.get("action") + " "
                + entry.get("outcome") + " " + text(entry, "targetType")
                + (session || targetId.equals("null") ? "" : " " + targetId);
    }

    /** The JSON rows hold absent values as empty text, like the CSV export, so that the two compare. */
    private static String text(Map<String, Object> entry, String field) {
        Object value = entry.get(field);
        return value == null || value.toString().isEmpty() ? "null" : value.toString();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> jsonRows(String reader, Instant dawn, Instant dusk) {
        String page = client.get().uri("/api/admin/logs?size=500&from={from}&to={to}", dawn, dusk)
                .header(HttpHeaders.AUTHORIZATION, reader).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(JsonPath.<Integer>read(page, "$.total")).as("the day fits one page").isLessThan(500);
        List<Map<String, Object>> items = JsonPath.read(page, "$.items");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> item : items) {
            Map<String, Object> row = new LinkedHashMap<>();
            item.forEach((key, value) -> row.put(key, value == null ? "" : value.toString()));
            rows.add(row);
        }
        return rows;
    }

    private List<Map<String, Object>> csvRows(String reader, Instant dawn, Instant dusk) throws Exception {
        String csv = client.get().uri("/api/admin/logs?from={from}&to={to}", dawn, dusk)
                .header(HttpHeaders.AUTHORIZATION, reader).accept(MediaType.parseMediaType("text/csv")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        List<Map<String, Object>> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(csv),
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            for (CSVRecord record : parser) {
                rows.add(new LinkedHashMap<>(record.toMap()));
            }
        }
        return rows;
    }

    private String call(HttpMethod method, String path, String token, String correlationId, Object body, int status) {
        WebTestClient.RequestBodySpec request = client.method(method).uri(path)
                .header("X-Correlation-Id", correlationId);
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        WebTestClient.RequestHeadersSpec<?> ready = body == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        return ready.exchange().expectStatus().isEqualTo(status).expectBody(String.class).returnResult()
                .getResponseBody();
    }

    private String awaitSucceeded(String operationId, String token) {
        AtomicReference<String> last = new AtomicReference<>();
        return Eventually.await(() -> "operation " + operationId + " to succeed: " + last.get(), WAIT, () -> {
            String body = client.get().uri("/api/operations/{id}", operationId)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                    .returnResult(String.class).getResponseBody().blockFirst();
            last.set(body);
            if (body != null && body.contains("\"FAILED\"")) {
                throw new AssertionError("operation " + operationId + " did not succeed: " + body);
            }
            return Optional.ofNullable(body).filter(answer -> answer.contains("\"SUCCEEDED\""));
        });
    }
}
