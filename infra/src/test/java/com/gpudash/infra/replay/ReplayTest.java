package com.gpudash.infra.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Rebuilding the read models from the event store gives the tables that live processing wrote, row for row.
 * A database of its own, so that only this test's history is replayed and no other test's work moves the
 * tables while they are compared. A provisioning that cannot be placed (no server is ONLINE) fails after the
 * shortest PROVISION_TIMEOUT, which puts a FAILED container and operation in the history too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "DATA_DIR=target/test-data/replay", "LOG_FILE=target/test-data/replay.log", "management.server.port=0",
        "ADMIN_PASSWORD=" + TestAdmin.PASSWORD, "gpudash.security.bcrypt-cost=4", "PROVISION_TIMEOUT=10s"})
class ReplayTest {

    /** Every read model the projections write. */
    private static final List<String> READ_MODELS = List.of("users_view", "server_view", "server_gpu_view",
            "server_reservation_view", "operation_view", "container_view", "route_view", "audit_log");
    private static final String REPLAY_REQUEST = "replay-test-request";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    WebTestClient anonymous;
    @Autowired
    JdbcTemplate jdbc;

    WebTestClient admin;

    @BeforeEach
    void signIn() {
        admin = TestAdmin.signedIn(anonymous);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRebuildGivesTheSameReadModelsAsLiveProcessing() {
        // Positions no event will take, as a transaction that rolls back leaves them: the tokens the rebuild is
        // reset from list gaps, which the rebuild then leaves out of its token at reset (GapsAtResetTest).
        long skipped = jdbc.queryForObject("SELECT COALESCE(MAX(globalIndex), 0) FROM DomainEventEntry", Long.class) + 1;
        jdbc.execute("ALTER TABLE DomainEventEntry ALTER COLUMN globalIndex RESTART WITH " + (skipped + 3));
        makeHistory();
        Map<String, List<Map<String, Object>>> live = awaitSettled();
        assertThat(new String(jdbc.queryForObject("SELECT token FROM TokenEntry WHERE processorName = ?"
                + " AND segment = 0", byte[].class, "users-projection"), StandardCharsets.UTF_8))
                .as("the users projection's token before the rebuild").contains("\"gaps\":[" + skipped);
        // The provisioning gave up on its persistent deadlines (a fired deadline must not cancel itself).
        assertThat(live.get("container_view")).singleElement()
                .satisfies(container -> assertThat(container.get("status")).isEqualTo("FAILED"));

        Map<?, ?> accepted = admin.post().uri("/api/admin/projections/replay")
                .header("X-Correlation-Id", REPLAY_REQUEST).exchange()
                .expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<Object>) accepted.get("projections")).containsAll(List.<Object>of("users-projection",
                "server-projection", "operation-projection", "container-projection"));
        Map<?, ?> operation = awaitOperationDone((String) accepted.get("operationId"));

        assertThat(operation.get("status")).isEqualTo("SUCCEEDED");
        Map<?, ?> result = (Map<?, ?>) operation.get("result");
        assertThat(((Number) result.get("events")).longValue()).isPositive();
        assertThat(readModels()).isEqualTo(live);
    }

    @Test
    void anUnknownProjectionIsRefusedAndNothingIsReplayed() {
        admin.post().uri("/api/admin/projections/replay").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("projections", List.of("users-projection", "saga-of-doom")))
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("saga-of-doom"));

        admin.get().uri("/api/admin/projections").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[?(@.name == 'users-projection')].rebuilding").isEqualTo(false)
                .jsonPath("$[?(@.name == 'users-projection')].behind").isEqualTo(0);
    }

    /** Users in every state, servers added and removed, a deletion's operation, a provisioning that failed. */
    private void makeHistory() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String kept = createUser("replay-kept-" + suffix, "QVP");
        String disabled = createUser("replay-off-" + suffix, "REGULAR");
        String deleted = createUser("replay-gone-" + suffix, "REGULAR");
        String pending = register("replay-pend-" + suffix);
        String rejected = register("replay-rej-" + suffix);
        String approved = register("replay-appr-" + suffix);

        admin.put().uri("/api/admin/users/" + kept).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("fullName", "Kept Around", "role", "REGULAR")).exchange().expectStatus().isOk();
        admin.put().uri("/api/admin/users/" + disabled).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("status", "DISABLED")).exchange().expectStatus().isOk();
        admin.delete().uri("/api/users/" + deleted).exchange().expectStatus().isAccepted();
        admin.post().uri("/api/admin/users/" + rejected + "/reject").exchange().expectStatus().isOk();
        // No server is ONLINE (theirs answer on no port): placement fails and the provisioning ends FAILED.
        admin.post().uri("/api/admin/users/" + approved + "/approve").exchange().expectStatus().isAccepted();
        assertThat(pending).isNotBlank();

        Map<?, ?> server = admin.post().uri("/api/admin/servers").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "replay-a-" + suffix, "host", "127.0.0.1",
                        "dockerEndpoint", "tcp://127.0.0.1:9", "maxContainers", 1))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> removed = admin.post().uri("/api/admin/servers").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "replay-b-" + suffix, "host", "127.0.0.2",
                        "dockerEndpoint", "tcp://127.0.0.2:9"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(server.get("id")).isNotNull();
        admin.delete().uri("/api/admin/servers/" + removed.get("id")).exchange().expectStatus().isNoContent();
    }

    private String createUser(String username, String role) {
        return (String) admin.post().uri("/api/admin/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", "correct horse battery",
                        "email", username + "@example.org", "role", role))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    private String register(String username) {
        Map<?, ?> answer = anonymous.post().uri("/api/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", "correct horse battery",
                        "email", username + "@example.org"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return (String) ((Map<?, ?>) answer.get("user")).get("id");
    }

    /** The read models once the failed provisioning and the telemetry's first verdicts have been recorded. */
    private Map<String, List<Map<String, Object>>> awaitSettled() {
        AtomicReference<Map<String, List<Map<String, Object>>>> previous = new AtomicReference<>();
        // Settled: the same rows a second apart.
        return Eventually.await(() -> "the read models to settle: " + previous.get(), Duration.ofSeconds(90),
                Duration.ofSeconds(1), () -> {
                    Map<String, List<Map<String, Object>>> now = readModels();
                    boolean provisioningOver = jdbc.queryForObject("SELECT COUNT(*) FROM container_view"
                            + " WHERE status IN ('REQUESTED', 'PROVISIONING')", Long.class) == 0;
                    boolean serversJudged = jdbc.queryForObject(
                            "SELECT COUNT(*) FROM server_view WHERE status = 'UNKNOWN'", Long.class) == 0;
                    boolean unchanged = now.equals(previous.getAndSet(now));
                    return Optional.of(now).filter(rows -> provisioningOver && serversJudged && unchanged);
                });
    }

    private Map<?, ?> awaitOperationDone(String operationId) {
        return Eventually.await("the replay operation to finish", WAIT, () -> {
            // 404 while the operations projection is rebuilt and has not reached this operation yet.
            var response = admin.get().uri("/api/operations/" + operationId).exchange().returnResult(Map.class);
            if (!response.getStatus().is2xxSuccessful()) {
                return Optional.empty();
            }
            return Optional.<Map<?, ?>>ofNullable(response.getResponseBody().blockFirst())
                    .filter(operation -> List.of("SUCCEEDED", "FAILED").contains(operation.get("status")));
        });
    }

    /**
     * Every row of every read model, in a fixed order. The replay's own operation and audit entries are not part
     * of the history before it, and the audit log's seq only orders rows as they were projected.
     */
    private Map<String, List<Map<String, Object>>> readModels() {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        for (String table : READ_MODELS) {
            String query = switch (table) {
                case "operation_view" -> "SELECT * FROM operation_view WHERE type <> 'REPLAY_PROJECTIONS' ORDER BY 1, 2";
                case "audit_log" -> "SELECT id, logged_at, actor, actor_role, action, target_type, target_id, outcome,"
                        + " detail, source_ip, correlation_id FROM audit_log WHERE correlation_id IS NULL"
                        + " OR correlation_id <> '" + REPLAY_REQUEST + "' ORDER BY id";
                default -> "SELECT * FROM " + table + " ORDER BY 1, 2";
            };
            tables.put(table, jdbc.queryForList(query));
        }
        return tables;
    }
}
