package com.gpudash.infra.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.gpudash.api.user.Role;
import com.gpudash.command.session.SessionTokens;
import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.infra.TestAdmin;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Every route of the contract (API.md), called by an anonymous client, a REGULAR, a QVP and an ADMIN user, and
 * with the session of a PENDING user, each answer's status checked exactly.
 * <p>
 * A PENDING user cannot log in (403), so they have no session of their own; the test writes one into the
 * sessions table as a stale or forged session would be, and the security layer must treat it as no session.
 * <p>
 * Where the caller is allowed, the status is what the handler answers to the request as sent: a 400 for an empty
 * body, a 404 for an unknown id. A new route comes with its row here.
 */
@H2ApplicationTest
class RbacTest {

    private static final String EVENT_STREAM = "/api/events/stream";
    private static final String UNKNOWN = "00000000-0000-0000-0000-000000000000";
    private static final Set<Role> ALL = Set.of(Role.ADMIN, Role.QVP, Role.REGULAR);
    private static final Set<Role> ADMIN = Set.of(Role.ADMIN);
    private static final Set<Role> ADMIN_QVP = Set.of(Role.ADMIN, Role.QVP);

    /** @param allowed who passes; null: anyone, even without a session */
    record Row(HttpMethod method, String path, String pattern, String body, Set<Role> allowed, int allowedStatus) {
    }

    private static final List<Row> CONTRACT = List.of(
            row(HttpMethod.POST, "/api/login", "/api/login", "{}", null, 400),
            row(HttpMethod.POST, "/api/register", "/api/register", "{}", null, 400),
            row(HttpMethod.GET, "/api/validate-session", "/api/validate-session", null, ALL, 200),
            row(HttpMethod.POST, "/api/user/password", "/api/user/password", "{}", ALL, 400),
            row(HttpMethod.GET, "/api/admin/users", "/api/admin/users", null, ADMIN, 200),
            row(HttpMethod.POST, "/api/admin/users", "/api/admin/users", "{}", ADMIN, 400),
            row(HttpMethod.GET, "/api/admin/users/" + UNKNOWN, "/api/admin/users/{id}", null, ADMIN, 404),
            row(HttpMethod.PUT, "/api/admin/users/" + UNKNOWN, "/api/admin/users/{id}", "{}", ADMIN, 404),
            row(HttpMethod.DELETE, "/api/users/" + UNKNOWN, "/api/users/{id}", null, ADMIN, 404),
            row(HttpMethod.POST, "/api/admin/users/" + UNKNOWN + "/approve", "/api/admin/users/{id}/approve", null, ADMIN, 404),
            row(HttpMethod.POST, "/api/admin/users/" + UNKNOWN + "/reject", "/api/admin/users/{id}/reject", null, ADMIN, 404),
            row(HttpMethod.POST, "/api/admin/users/" + UNKNOWN + "/reset-password", "/api/admin/users/{id}/reset-password", null, ADMIN, 404),
            row(HttpMethod.GET, "/api/admin/users/" + UNKNOWN + "/history", "/api/admin/users/{id}/history", null, ADMIN, 404),
            row(HttpMethod.GET, "/api/admin/servers", "/api/admin/servers", null, ADMIN_QVP, 200),
            row(HttpMethod.POST, "/api/admin/servers", "/api/admin/servers", "{}", ADMIN, 400),
            row(HttpMethod.GET, "/api/admin/servers/" + UNKNOWN, "/api/admin/servers/{id}", null, ADMIN_QVP, 404),
            row(HttpMethod.DELETE, "/api/admin/servers/" + UNKNOWN, "/api/admin/servers/{id}", null, ADMIN, 404),
            row(HttpMethod.GET, "/api/admin/servers/" + UNKNOWN + "/stats", "/api/admin/servers/{id}/stats", null, ADMIN_QVP, 404),
            row(HttpMethod.POST, "/api/admin/servers/" + UNKNOWN + "/cleanup", "/api/admin/servers/{id}/cleanup", "{}", ADMIN, 404),
            row(HttpMethod.GET, "/api/admin/docker-images", "/api/admin/docker-images", null, ADMIN_QVP, 200),
            row(HttpMethod.DELETE, "/api/admin/docker-images/sha256", "/api/admin/docker-images/{id}", null, ADMIN, 400),
            row(HttpMethod.POST, "/api/admin/docker-images/build", "/api/admin/docker-images/build", "{}", ADMIN_QVP, 400),
            row(HttpMethod.GET, "/api/user/services", "/api/user/services", null, ALL, 200),
            row(HttpMethod.GET, "/api/user/container/status", "/api/user/container/status", null, ALL, 404),
            row(HttpMethod.POST, "/api/containers/" + UNKNOWN + "/start", "/api/containers/{id}/start", null, ALL, 404),
            row(HttpMethod.POST, "/api/containers/" + UNKNOWN + "/stop", "/api/containers/{id}/stop", null, ALL, 404),
            row(HttpMethod.GET, "/api/operations/" + UNKNOWN, "/api/operations/{id}", null, ALL, 404),
            row(HttpMethod.GET, "/health", "/health", null, null, 200),
            row(HttpMethod.GET, "/api/admin/logs", "/api/admin/logs", null, ADMIN, 200),
            row(HttpMethod.GET, "/api/admin/stats", "/api/admin/stats", null, ADMIN_QVP, 200),
            row(HttpMethod.GET, "/api/admin/traffic", "/api/admin/traffic", null, ADMIN, 200),
            row(HttpMethod.GET, "/api/events/stream", "/api/events/stream", null, ALL, 200),
            row(HttpMethod.GET, "/api/admin/projections", "/api/admin/projections", null, ADMIN, 200),
            // An unknown projection: refused before anything is replayed.
            row(HttpMethod.POST, "/api/admin/projections/replay", "/api/admin/projections/replay",
                    "{\"projections\":[\"no-such-projection\"]}", ADMIN, 400),
            row(HttpMethod.GET, "/api/openapi.yaml", "/api/openapi.yaml", null, null, 200),
            // Last, since it ends the session the rows above use.
            row(HttpMethod.POST, "/api/logout", "/api/logout", null, ALL, 204));

    @Autowired
    WebTestClient client;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void everyRouteOfTheContractAnswersEachKindOfCallerExactly() {
        Map<String, String> callers = new LinkedHashMap<>();
        callers.put("anonymous", null);
        callers.put("PENDING", pendingUsersSession());
        for (Role role : Role.values()) {
            callers.put(role.name(), sessionOf(role));
        }

        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> caller : callers.entrySet()) {
            Role role = caller.getKey().equals("anonymous") || caller.getKey().equals("PENDING") ? null
                    : Role.valueOf(caller.getKey());
            for (Row row : CONTRACT) {
                int expected = expected(row, role);
                int actual = call(row, caller.getValue());
                if (actual != expected) {
                    wrong.add(caller.getKey() + " " + row.method() + " " + row.path() + ": " + actual
                            + " instead of " + expected);
                }
            }
        }

        assertThat(wrong).isEmpty();
    }

    @Test
    void theTableHasARowForEveryRouteOfTheContractAndNoOther() {
        Set<String> table = RoutePermissions.CONTRACT.stream()
                .filter(route -> !route.pattern().getPatternString().startsWith("/actuator/"))
                .map(route -> route.method() + " " + route.pattern().getPatternString())
                .collect(Collectors.toSet());
        Set<String> tested = CONTRACT.stream().map(row -> row.method() + " " + row.pattern()).collect(Collectors.toSet());

        assertThat(table).isEqualTo(tested);
    }

    private static int expected(Row row, Role role) {
        if (row.allowed() == null) {
            return row.allowedStatus();
        }
        if (role == null) {
            return 401;
        }
        return row.allowed().contains(role) ? row.allowedStatus() : 403;
    }

    private int call(Row row, String token) {
        WebTestClient.RequestBodySpec request = client.method(row.method()).uri(row.path());
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        WebTestClient.RequestHeadersSpec<?> ready = row.body() == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(row.body());
        if (row.path().equals(EVENT_STREAM)) {
            // The stream never ends by itself: its status is all this test reads before it hangs up.
            FluxExchangeResult<String> stream = ready.exchange().returnResult(String.class);
            stream.getResponseBody().subscribe().dispose();
            return stream.getStatus().value();
        }
        return ready.exchange().expectBody().returnResult().getStatus().value();
    }

    private String sessionOf(Role role) {
        WebTestClient.ResponseSpec login = client.post().uri("/api/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", TestAdmin.USERNAME, "password", TestAdmin.PASSWORD)).exchange();
        String admin = (String) login.expectBody(Map.class).returnResult().getResponseBody().get("token");
        if (role == Role.ADMIN) {
            return admin;
        }
        String username = "rbac-" + role.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
        client.post().uri("/api/admin/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", "rbac-password", "email", username + "@example.org",
                        "role", role.name()))
                .exchange().expectStatus().isCreated();
        return (String) client.post().uri("/api/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", "rbac-password")).exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("token");
    }

    private String pendingUsersSession() {
        String username = "rbac-pending-" + UUID.randomUUID().toString().substring(0, 8);
        String userId = (String) ((Map<?, ?>) client.post().uri("/api/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", "rbac-password", "email", username + "@example.org"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("user")).get("id");
        client.post().uri("/api/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", "rbac-password")).exchange()
                .expectStatus().isForbidden();
        String token = SessionTokens.newToken();
        long now = System.currentTimeMillis();
        jdbc.update("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                SessionTokens.hash(token), userId, now, now + 3_600_000);
        return token;
    }

    private static Row row(HttpMethod method, String path, String pattern, String body, Set<Role> allowed, int status) {
        return new Row(method, path, pattern, body, allowed, status);
    }
}
