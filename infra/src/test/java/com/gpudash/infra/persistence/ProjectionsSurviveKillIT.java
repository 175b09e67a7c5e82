package com.gpudash.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.jayway.jsonpath.JsonPath;
import com.gpudash.infra.PackagedApplication;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The projections write their rows and their token in one transaction, so a node killed in the middle of a batch
 * neither loses nor applies twice what that batch held. The packaged application on MariaDB is killed with SIGKILL
 * twice: while 20 clients register users (the projections follow the writes batch by batch), and in the middle of a
 * rebuild of every read model. After each restart the read models are checked against the event store: one user
 * row per registration stored, one audit entry per registration naming its events once (a batch applied twice
 * appends its event names to the entries again); and after the rebuild every read model equals, row for row, what
 * it held before the rebuild began.
 */
@RequiresServices(Service.MARIADB)
class ProjectionsSurviveKillIT {

    private static final int CLIENTS = 20;
    private static final Duration WRITING = Duration.ofSeconds(6);
    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    private static final String DATABASE = Optional.ofNullable(System.getenv("TEST_DB_NAME"))
            .filter(name -> !name.isBlank()).orElse("gpudash_test") + "_killbatch";
    private static final String REPLAY_REQUEST = "killed-replay";
    private static final List<String> PROJECTIONS = List.of("users-projection", "server-projection",
            "operation-projection", "container-projection", "audit-projection");
    /** The read models, as ReplayTest compares them; the replay's own operation and audit entries are left out. */
    private static final Map<String, String> READ_MODELS = readModels();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path workingDirectory;

    @Test
    void killedMidBatchTheReadModelsNeitherLoseNorRepeatAnEvent() throws Exception {
        try (Connection server = DriverManager.getConnection(serverUrl(), TestServices.dbUser(),
                TestServices.dbPassword())) {
            server.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
            try {
                killWhileWritingThenWhileRebuilding();
            } finally {
                server.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
            }
        }
    }

    private void killWhileWritingThenWhileRebuilding() throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of("DB_HOST", TestServices.dbHost(),
                "DB_PORT", String.valueOf(TestServices.dbPort()), "DB_USER", TestServices.dbUser(),
                "DB_PASSWORD", TestServices.dbPassword(), "DB_NAME", DATABASE));
        environment.put("ADMIN_PASSWORD", TestAdmin.PASSWORD);
        environment.put("GPUDASH_SECURITY_BCRYPT_COST", "4");
        environment.put("GPUDASH_REGISTRATION_ADDRESS_MAX", "1000000"); // the clients register as fast as answered
        // Batches of 5 rather than 1000: a store of a few hundred events is then dozens of batches, so the kills
        // land inside one. Batches are atomic whatever their size; the size only makes the kill's timing likely.
        StringBuilder processors = new StringBuilder();
        for (String projection : PROJECTIONS) {
            processors.append(processors.isEmpty() ? "" : ",").append('"').append(projection)
                    .append("\":{\"batch-size\":5}");
        }
        environment.put("SPRING_APPLICATION_JSON", "{\"axon\":{\"eventhandling\":{\"processors\":{" + processors
                + "}}}}");

        String token;
        PackagedApplication application = PackagedApplication.start(workingDirectory, environment);
        try {
            token = login(application);
            int answered = registerThenKill(application);
            System.out.printf("[ProjectionsSurviveKillIT] %d registrations answered 201 before the kill%n", answered);
            assertThat(answered).as("the writes must be under way, or the kill tests nothing").isPositive();
        } finally {
            application.close();
        }

        Map<String, List<Map<String, Object>>> beforeRebuild;
        String replayOperation;
        PackagedApplication restarted = PackagedApplication.start(workingDirectory, environment);
        try {
            awaitCaughtUp(restarted, token);
            assertEveryRegistrationProjectedOnce();
            beforeRebuild = readModelRows();
            HttpResponse<String> replay = http.send(authorized(restarted, token, "/api/admin/projections/replay")
                    .header("X-Correlation-Id", REPLAY_REQUEST)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
            replayOperation = JsonPath.read(replay.body(), "$.operationId");
            // Killed as soon as a projection has rebuilt a batch and has more than as much again to go, asked often:
            // a rebuild of these few hundred events takes a second or two, and a kill that came after its end
            // leaves the store unable to tell it from one before the reset (the operation then fails, rightly).
            Eventually.await(() -> "a rebuild under way", Duration.ofSeconds(30), Duration.ofMillis(10),
                    () -> Optional.of(projections(restarted, token)).filter(ProjectionsSurviveKillIT::rebuildUnderWay));
            restarted.kill();
        } finally {
            restarted.close();
        }

        PackagedApplication rebuilt = PackagedApplication.start(workingDirectory, environment);
        try {
            // The restarted node finishes the rebuild it was killed in, and then its operation.
            String finished = Eventually.await(() -> "the interrupted replay's operation finished; projections now "
                    + projections(rebuilt, token), CATCH_UP, () -> {
                try {
                    HttpResponse<String> operation = http.send(authorized(rebuilt, token, "/api/operations/"
                            + replayOperation).GET().build(), HttpResponse.BodyHandlers.ofString());
                    return Optional.of(operation).filter(answer -> answer.statusCode() == 200)
                            .map(HttpResponse::body).filter(body -> !body.contains("\"RUNNING\"")
                                    && !body.contains("\"PENDING\""));
                } catch (IOException notAnsweredYet) {
                    return Optional.empty();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            });
            System.out.println("[ProjectionsSurviveKillIT] replay operation after the restart: " + finished);
            assertThat((String) JsonPath.read(finished, "$.status")).isEqualTo("SUCCEEDED");
            assertThat((List<String>) JsonPath.read(finished, "$.result.projections")).isNotEmpty();
            awaitCaughtUp(rebuilt, token);
            assertEveryRegistrationProjectedOnce();
            Map<String, List<Map<String, Object>>> afterRebuild = readModelRows();
            // Finishing the interrupted replay's operation is news since: its own entry is not the history's.
            afterRebuild.get("audit_log").removeIf(entry -> replayOperation.equals(entry.get("target_id")));
            for (String table : READ_MODELS.keySet()) {
                assertThat(afterRebuild.get(table)).as("%s after a rebuild killed midway", table)
                        .containsExactlyElementsOf(beforeRebuild.get(table));
            }
        } finally {
            rebuilt.close();
            // Kept for a failure's post-mortem: the temporary directory goes.
            Files.writeString(Path.of("target", "projections-kill-console.log"), rebuilt.console());
        }
    }

    /** 20 clients register until the kill, which comes after {@link #WRITING}; answers how many got a 201. */
    private int registerThenKill(PackagedApplication application) throws Exception {
        RegisteringClients clients = RegisteringClients.start(application, http, "batch-", CLIENTS);
        // Not a poll: the registrations run for a while so that the projections are mid-batch at the kill.
        Thread.sleep(WRITING.toMillis());
        return clients.killApplication().size();
    }

    /**
     * Every registration the store holds has its one user row and its one audit entry, and every such entry names
     * the same events, each once: a lost batch leaves rows missing, a batch applied twice doubles the names.
     */
    private void assertEveryRegistrationProjectedOnce() throws Exception {
        long stored = single("SELECT COUNT(*) FROM DomainEventEntry WHERE payloadType LIKE '%.UserRegistered'");
        long users = single("SELECT COUNT(*) FROM users_view WHERE username LIKE 'batch-%'");
        List<Map<String, Object>> details = rows("SELECT detail, COUNT(*) AS entries FROM audit_log"
                + " WHERE action = 'RegisterUser' AND outcome = 'SUCCESS' GROUP BY detail");
        System.out.printf("[ProjectionsSurviveKillIT] %d registrations stored, %d user rows, audit entries %s%n",
                stored, users, details);
        assertThat(stored).isPositive();
        assertThat(users).as("user rows of the registrations stored").isEqualTo(stored);
        assertThat(details).as("every registration's audit entry names the same events once")
                .singleElement().satisfies(group -> {
                    assertThat(((Number) group.get("entries")).longValue()).isEqualTo(stored);
                    assertThat(group.get("detail")).isEqualTo("UserRegistered");
                });
    }

    private void awaitCaughtUp(PackagedApplication application, String token) {
        Eventually.await("every projection caught up and none rebuilding", CATCH_UP, () -> {
            List<Map<String, Object>> projections = projections(application, token);
            return Optional.of(projections).filter(all -> !all.isEmpty() && all.stream().allMatch(projection ->
                    Boolean.TRUE.equals(projection.get("running")) && !Boolean.TRUE.equals(projection.get("rebuilding"))
                            && ((Number) projection.get("behind")).longValue() == 0));
        });
    }

    /** A projection being rebuilt has handled a batch (its position is known) and has more to go. */
    private static boolean rebuildUnderWay(List<Map<String, Object>> projections) {
        return projections.stream().anyMatch(projection -> Boolean.TRUE.equals(projection.get("rebuilding"))
                && projection.get("position") instanceof Number position && position.longValue() > 0
                && ((Number) projection.get("behind")).longValue() > position.longValue());
    }

    private List<Map<String, Object>> projections(PackagedApplication application, String token) {
        try {
            HttpResponse<String> answer = http.send(authorized(application, token, "/api/admin/projections").GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? JsonPath.read(answer.body(), "$") : List.of();
        } catch (IOException | InterruptedException notAnsweredYet) {
            return List.of();
        }
    }

    private HttpRequest.Builder authorized(PackagedApplication application, String token, String path) {
        return HttpRequest.newBuilder(application.uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token);
    }

    private String login(PackagedApplication application) throws Exception {
        HttpResponse<String> login = post(application, "/api/login", "{\"username\":\"" + TestAdmin.USERNAME
                + "\",\"password\":\"" + TestAdmin.PASSWORD + "\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return JsonPath.read(login.body(), "$.token");
    }

    private HttpResponse<String> post(PackagedApplication application, String path, String json)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(application.uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> readModels() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (String table : List.of("users_view", "server_view", "container_view", "route_view")) {
            queries.put(table, "SELECT * FROM " + table + " ORDER BY 1, 2");
        }
        queries.put("operation_view", "SELECT * FROM operation_view WHERE type <> 'REPLAY_PROJECTIONS' ORDER BY 1, 2");
        queries.put("audit_log", "SELECT id, logged_at, actor, actor_role, action, target_type, target_id, outcome,"
                + " detail, source_ip, correlation_id FROM audit_log WHERE correlation_id IS NULL"
                + " OR correlation_id <> '" + REPLAY_REQUEST + "' ORDER BY id");
        return queries;
    }

    private static Map<String, List<Map<String, Object>>> readModelRows() throws Exception {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        for (Map.Entry<String, String> table : READ_MODELS.entrySet()) {
            tables.put(table.getKey(), rows(table.getValue()));
        }
        return tables;
    }

    private static long single(String sql) throws Exception {
        return ((Number) rows(sql).get(0).values().iterator().next()).longValue();
    }

    private static List<Map<String, Object>> rows(String sql) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(serverUrl() + DATABASE, TestServices.dbUser(),
                TestServices.dbPassword());
             ResultSet result = connection.createStatement().executeQuery(sql)) {
            ResultSetMetaData columns = result.getMetaData();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= columns.getColumnCount(); column++) {
                    Object value = result.getObject(column);
                    // Arrays compare by identity: a binary column is compared by its hex digits.
                    row.put(columns.getColumnLabel(column),
                            value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static String serverUrl() {
        return "jdbc:mariadb://" + TestServices.dbHost() + ":" + TestServices.dbPort() + "/";
    }
}
