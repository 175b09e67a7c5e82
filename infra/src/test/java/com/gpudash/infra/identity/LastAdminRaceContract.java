package com.gpudash.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.gpudash.infra.TestAdmin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The last two ACTIVE admins each demote themselves at the same instant, twenty times over: exactly one stays admin
 * and the other is refused with 409. Self-demotion keeps the refusal a 409 whatever the order (a demoted admin's
 * request to demote another would be a 403 instead). It needs a context of its own, where no other admin exists:
 * the shared contexts' bootstrap admin must stay admin for the other tests. The database outlives a run, so set-up
 * first leaves a single ACTIVE admin, whichever one the last run left.
 */
abstract class LastAdminRaceContract {

    private static final int ROUNDS = 20;

    @Autowired
    WebTestClient client;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    Api api;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void setUp() {
        api = new Api(client);
    }

    @Test
    void twoSimultaneousSelfDemotionsOfTheLastTwoAdminsLeaveOneAdmin() throws Exception {
        Admin survivor = singleActiveAdmin();

        for (int round = 0; round < ROUNDS; round++) {
            String username = Api.uniqueName("last-admin");
            Admin other = new Admin(api.createUser(survivor.token(), username, "ADMIN"),
                    api.token(username, Api.PASSWORD));
            assertThat(activeAdmins()).isEqualTo(2L);

            List<HttpResponse<String>> answers = demoteThemselvesAtOnce(survivor, other);

            assertThat(activeAdmins()).as("round %d", round).isEqualTo(1L);
            HttpResponse<String> refused = answers.get(0).statusCode() == 409 ? answers.get(0) : answers.get(1);
            HttpResponse<String> allowed = refused == answers.get(0) ? answers.get(1) : answers.get(0);
            assertThat(allowed.statusCode()).as("round %d", round).isEqualTo(200);
            assertThat(refused.statusCode()).as("round %d", round).isEqualTo(409);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(refused.body()).contains("last ACTIVE admin");
            survivor = refused == answers.get(0) ? survivor : other;
        }
    }

    private List<HttpResponse<String>> demoteThemselvesAtOnce(Admin first, Admin second) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (Admin admin : List.of(first, second)) {
                HttpRequest request = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/admin/users/" + admin.id()))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + admin.token())
                        .timeout(Duration.ofSeconds(30))
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"role\":\"REGULAR\"}"))
                        .build();
                answers.add(clients.submit(() -> {
                    start.await();
                    return http.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
            return List.of(answers.get(0).get(), answers.get(1).get());
        } finally {
            clients.shutdownNow();
        }
    }

    /** Logs in as one ACTIVE admin and demotes every other one. */
    private Admin singleActiveAdmin() {
        List<Map<String, Object>> admins = jdbc.queryForList(
                "SELECT user_id, username FROM user_accounts WHERE role = 'ADMIN' AND status = 'ACTIVE'");
        Admin kept = null;
        for (Map<String, Object> admin : admins) {
            String username = (String) admin.get("username");
            String password = username.equals(TestAdmin.USERNAME) ? TestAdmin.PASSWORD : Api.PASSWORD;
            Admin candidate = new Admin((String) admin.get("user_id"), api.token(username, password));
            if (kept == null) {
                kept = candidate;
            } else {
                api.put("/api/admin/users/" + candidate.id(), kept.token(), Map.of("role", "REGULAR"))
                        .expectStatus().isOk();
            }
        }
        assertThat(activeAdmins()).isEqualTo(1L);
        return kept;
    }

    private long activeAdmins() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM user_accounts WHERE role = 'ADMIN' AND status = 'ACTIVE'",
                Long.class);
    }

    private record Admin(String id, String token) {
    }
}
