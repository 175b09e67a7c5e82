package com.gpudash.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.gpudash.api.audit.AccessDenied;
import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.api.user.UserRegistered;
import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The identity endpoints through real HTTP on the embedded database. */
@H2ApplicationTest
class IdentityEndpointsTest {

    @Autowired
    WebTestClient client;
    @Autowired
    EventStore eventStore;
    @Autowired
    JdbcTemplate jdbc;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(client);
    }

    @Test
    void aRegisteredUserWaitsForApprovalThenLogsInAndOut() {
        String username = Api.uniqueName("reg");
        String userId = api.register(username);

        api.login(username, Api.PASSWORD).expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("PENDING"));

        String admin = api.adminToken();
        byte[] approval = api.post("/api/admin/users/" + userId + "/approve", admin, null).expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.user.status").isEqualTo("ACTIVE")
                .jsonPath("$.user.approvedBy").isNotEmpty()
                .returnResult().getResponseBodyContent();
        String operationId = com.jayway.jsonpath.JsonPath.read(new String(approval, java.nio.charset.StandardCharsets.UTF_8),
                "$.operationId");
        // The approval started the user's provisioning, which the operation follows: readable as soon as the 202
        // is back, even before its read model has caught up.
        api.get("/api/operations/" + operationId, admin).expectStatus().isOk()
                .expectBody().jsonPath("$.type").isEqualTo("PROVISION_CONTAINER");

        String token = api.token(username, Api.PASSWORD);
        api.get("/api/validate-session", token).expectStatus().isOk().expectBody()
                .jsonPath("$.valid").isEqualTo(true)
                .jsonPath("$.user.username").isEqualTo(username)
                .jsonPath("$.user.role").isEqualTo("REGULAR")
                .jsonPath("$.expiresAt").isNotEmpty();

        api.post("/api/logout", token, null).expectStatus().isNoContent();
        api.get("/api/validate-session", token).expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    @Test
    void loginSetsAStrictHttpOnlyCookieThatAuthenticatesReads() {
        var result = api.login(TestAdmin.USERNAME, TestAdmin.PASSWORD).expectStatus().isOk()
                .expectBody(Map.class).returnResult();
        ResponseCookie cookie = result.getResponseCookies().getFirst("GPUDASH_SESSION");

        assertThat(cookie).isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getValue()).isEqualTo(result.getResponseBody().get("token"));
        assertThat(cookie.getValue()).hasSizeGreaterThanOrEqualTo(22); // at least 128 bits in base64url
        Instant expiresAt = Instant.parse((String) result.getResponseBody().get("expiresAt"));
        assertThat(Duration.between(Instant.now(), expiresAt)).isBetween(Duration.ofHours(11), Duration.ofHours(12));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sessions WHERE token_hash = ?", Long.class,
                cookie.getValue())).as("only the hash is stored").isZero();

        client.get().uri("/api/admin/users").cookie("GPUDASH_SESSION", cookie.getValue()).exchange()
                .expectStatus().isOk();
    }

    @Test
    void aStateChangingCallWithTheCookieNeedsThisSitesOrigin() {
        String cookie = api.adminToken();
        String username = Api.uniqueName("csrf");
        String body = "{\"username\":\"" + username + "\",\"password\":\"" + Api.PASSWORD
                + "\",\"email\":\"" + username + "@example.org\",\"role\":\"REGULAR\"}";

        client.post().uri("/api/admin/users").cookie("GPUDASH_SESSION", cookie)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("Origin"));
        client.post().uri("/api/admin/users").cookie("GPUDASH_SESSION", cookie).header(HttpHeaders.ORIGIN, "https://evil.example")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isForbidden();
        client.post().uri("/api/admin/users").cookie("GPUDASH_SESSION", cookie)
                .header(HttpHeaders.HOST, "dash.example").header(HttpHeaders.ORIGIN, "https://dash.example")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isCreated();
    }

    @Test
    void anUnknownUserAndAWrongPasswordGetTheSameAnswer() {
        String unknown = api.login(Api.uniqueName("nobody"), Api.PASSWORD).expectStatus().isUnauthorized()
                .expectBody(String.class).returnResult().getResponseBody();
        String wrong = api.login(TestAdmin.USERNAME, "not the password").expectStatus().isUnauthorized()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(unknown).isEqualTo(wrong);
    }

    @Test
    void fiveFailuresHoldTheUsernameFromThatAddressEvenAgainstTheRightPassword() {
        String username = Api.uniqueName("locked");
        String admin = api.adminToken();
        api.createUser(admin, username, "REGULAR");

        for (int attempt = 0; attempt < 5; attempt++) {
            api.login(username, "wrong password " + attempt).expectStatus().isUnauthorized();
        }

        api.login(username, Api.PASSWORD).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                // the first wait of the back-off (backoff-initial, a minute in the tests), not a 15-minute lockout
                .expectHeader().value(HttpHeaders.RETRY_AFTER, seconds ->
                        assertThat(Long.parseLong(seconds)).isBetween(30L, 60L));
        api.login(TestAdmin.USERNAME, TestAdmin.PASSWORD).expectStatus().isOk(); // another username is not locked
    }

    @Test
    void aTakenUsernameOrEmailIsAConflictWhateverItsCase() {
        String username = Api.uniqueName("taken");
        api.register(username);

        api.post("/api/register", null, Map.of("username", username, "password", Api.PASSWORD,
                "email", "other-" + username + "@example.org")).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("username"));
        api.post("/api/register", null, Map.of("username", username + "x", "password", Api.PASSWORD,
                "email", username.toUpperCase() + "@EXAMPLE.org")).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("e-mail"));
    }

    @Test
    void aDeletedUsersEmailIsFreeAgainAndTheirUsernameStaysTaken() {
        String admin = api.adminToken();
        String username = Api.uniqueName("gone");
        String email = username + "@example.org";
        String userId = api.register(username);
        client.delete().uri("/api/users/" + userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isAccepted();
        Eventually.await("the deletion of " + userId, Duration.ofSeconds(20), () -> Optional.ofNullable(
                jdbc.queryForObject("SELECT status FROM user_accounts WHERE user_id = ?", String.class, userId))
                .filter("DELETED"::equals));

        api.post("/api/register", null, Map.of("username", username, "password", Api.PASSWORD,
                        "email", "other-" + email)).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("username"));
        String newcomer = api.register(username + "-again", email.toUpperCase());

        assertThat(newcomer).isNotEqualTo(userId);
        api.get("/api/admin/users/" + userId + "/history", admin).expectStatus().isOk().expectBody()
                .jsonPath("$[0].type").isEqualTo("UserRegistered")
                .jsonPath("$[-1:].type").isEqualTo("UserDeleted");
        api.get("/api/admin/users/" + userId + "?asOf=" + Instant.now(), admin).expectStatus().isOk().expectBody()
                .jsonPath("$.username").isEqualTo(username)
                .jsonPath("$.email").isEqualTo(email)
                .jsonPath("$.status").isEqualTo("DELETED");
    }

    @Test
    void badRegistrationsAre400sNamingTheField() {
        record Case(String body, String field) {
        }
        String ok = Api.uniqueName("bad");
        List<Case> cases = List.of(
                new Case("{\"username\":\"Alice\",\"password\":\"" + Api.PASSWORD + "\",\"email\":\"a@example.org\"}", "username"),
                new Case("{\"username\":\"ab\",\"password\":\"" + Api.PASSWORD + "\",\"email\":\"a@example.org\"}", "username"),
                new Case("{\"username\":\"admin\",\"password\":\"" + Api.PASSWORD + "\",\"email\":\"a@example.org\"}", "username"),
                new Case("{\"username\":\"api\",\"password\":\"" + Api.PASSWORD + "\",\"email\":\"a@example.org\"}", "username"),
                new Case("{\"username\":\"" + ok + "\",\"password\":\"short\",\"email\":\"a@example.org\"}", "password"),
                new Case("{\"username\":\"" + ok + "\",\"password\":\"" + "é".repeat(37) + "\",\"email\":\"a@example.org\"}", "password"),
                new Case("{\"username\":\"" + ok + "\",\"password\":\"" + Api.PASSWORD + "\",\"email\":\"not-an-address\"}", "email"),
                new Case("{\"username\":\"" + ok + "\",\"password\":\"" + Api.PASSWORD + "\",\"email\":\"a@b\"}", "email"),
                new Case("{\"username\":\"" + ok + "\",\"password\":\"" + Api.PASSWORD + "\",\"email\":\""
                        + "a".repeat(250) + "@example.org\"}", "email"),
                new Case("{\"username\":\"" + ok + "\",\"password\":\"" + Api.PASSWORD + "\"}", "email"),
                new Case("{\"username\":\"" + ok + "\",\"password\":\"" + Api.PASSWORD
                        + "\",\"email\":\"a@example.org\",\"role\":\"ADMIN\"}", "role"),
                new Case("{\"username\":42,\"password\":\"" + Api.PASSWORD + "\",\"email\":\"a@example.org\"}", "username"));

        for (Case bad : cases) {
            client.post().uri("/api/register").contentType(MediaType.APPLICATION_JSON).bodyValue(bad.body()).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo(bad.field());
        }
        client.post().uri("/api/register").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"username\":\"x").exchange()
                .expectStatus().isBadRequest();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM user_accounts WHERE username = ?", Long.class, ok))
                .as("nothing was registered").isZero();
    }

    @Test
    void commonBlankAndUsernamePasswordsAre400sThatNeverRepeatThePassword() {
        String username = Api.uniqueName("weak");
        for (String weak : List.of("password", "12345678", "        ", "PassWord1", "aaaaaaaa", "x" + username + "!")) {
            String body = client.post().uri("/api/register").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", username, "password", weak, "email", username + "@example.org"))
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(body).as(weak).contains("password");
            if (!weak.equals("password")) { // the field's own name
                assertThat(body).as("the refusal does not repeat the password").doesNotContain(weak);
            }
        }
        api.post("/api/register", null, Map.of("username", username, "password", Api.PASSWORD,
                "email", username + "@example.org")).expectStatus().isCreated();
    }

    @Test
    void aChangedOrResetPasswordMeetsTheSamePolicy() {
        String admin = api.adminToken();
        String username = Api.uniqueName("policy");
        String userId = api.createUser(admin, username, "QVP");
        String token = api.token(username, Api.PASSWORD);

        api.post("/api/user/password", token, Map.of("currentPassword", Api.PASSWORD, "newPassword", "qwerty123"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("newPassword");
        api.post("/api/user/password", token, Map.of("currentPassword", Api.PASSWORD,
                        "newPassword", username.toUpperCase() + "-2026"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.detail").value(detail ->
                        assertThat((String) detail).startsWith("newPassword: ").contains("username"));
        api.post("/api/admin/users/" + userId + "/reset-password", admin, Map.of("newPassword", "Password123"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("newPassword");
        api.post("/api/admin/users", admin, Map.of("username", Api.uniqueName("policy"), "password", "iloveyou",
                        "email", "p@example.org", "role", "REGULAR"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("password");
        api.get("/api/validate-session", token).expectStatus().isOk();
    }

    @Test
    void aPasswordOfExactly72BytesIsAccepted() {
        String username = Api.uniqueName("long");
        String password = "é".repeat(35) + "ab"; // 72 bytes in UTF-8
        api.post("/api/register", null, Map.of("username", username, "password", password,
                "email", username + "@example.org")).expectStatus().isCreated();
    }

    @Test
    void resetDisableRoleChangeAndDeletionEndTheUsersSessions() {
        String admin = api.adminToken();
        String username = Api.uniqueName("life");
        String userId = api.createUser(admin, username, "QVP");

        String first = api.token(username, Api.PASSWORD);
        String temporary = (String) api.post("/api/admin/users/" + userId + "/reset-password", admin, null)
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("temporaryPassword");
        api.get("/api/validate-session", first).expectStatus().isUnauthorized(); // reset ends sessions
        api.login(username, Api.PASSWORD).expectStatus().isUnauthorized();

        String second = api.token(username, temporary);
        api.post("/api/user/password", second, Map.of("currentPassword", temporary, "newPassword", Api.PASSWORD))
                .expectStatus().isNoContent();
        api.get("/api/validate-session", second).expectStatus().isUnauthorized(); // a change ends sessions

        String third = api.token(username, Api.PASSWORD);
        client.put().uri("/api/admin/users/" + userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("role", "REGULAR", "fullName", "Ada L"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.role").isEqualTo("REGULAR").jsonPath("$.fullName").isEqualTo("Ada L");
        api.get("/api/validate-session", third).expectStatus().isUnauthorized(); // a role change ends sessions

        String fourth = api.token(username, Api.PASSWORD);
        client.put().uri("/api/admin/users/" + userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "DISABLED"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("DISABLED");
        api.get("/api/validate-session", fourth).expectStatus().isUnauthorized(); // disabling ends sessions
        api.login(username, Api.PASSWORD).expectStatus().isForbidden();

        client.put().uri("/api/admin/users/" + userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "ACTIVE"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("ACTIVE");
        String fifth = api.token(username, Api.PASSWORD);
        client.delete().uri("/api/users/" + userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isAccepted().expectBody().jsonPath("$.operationId").isNotEmpty();
        api.get("/api/validate-session", fifth).expectStatus().isUnauthorized(); // deletion ends sessions
        api.login(username, Api.PASSWORD).expectStatus().isUnauthorized();
        api.get("/api/admin/users/" + userId + "/history", admin).expectStatus().isOk().expectBody()
                .jsonPath("$[0].type").isEqualTo("UserCreated")
                .jsonPath("$[-1:].type").isEqualTo("UserDeleted");
    }

    /** An edit is one change: when its status part is refused, its profile and role parts are not made either. */
    @Test
    void anEditWithARefusedPartChangesNothing() {
        String admin = api.adminToken();
        String username = Api.uniqueName("whole");
        String userId = api.register(username);

        client.put().uri("/api/admin/users/" + userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("fullName", "Renamed", "email", username + "@elsewhere.org", "role", "QVP",
                        "status", "DISABLED"))
                .exchange().expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("disabling requires status ACTIVE"));

        api.get("/api/admin/users/" + userId, admin).expectStatus().isOk().expectBody()
                .jsonPath("$.fullName").doesNotExist()
                .jsonPath("$.email").isEqualTo(username + "@example.org")
                .jsonPath("$.role").isEqualTo("REGULAR")
                .jsonPath("$.status").isEqualTo("PENDING");
        api.get("/api/admin/users/" + userId + "/history", admin).expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].type").isEqualTo("UserRegistered");

        client.put().uri("/api/admin/users/" + userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("fullName", "Renamed", "role", "QVP"))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.fullName").isEqualTo("Renamed").jsonPath("$.role").isEqualTo("QVP");
        // One entry for the refused edit, one for the edit that was made, naming both of its changes.
        api.get("/api/admin/logs?targetId=" + userId + "&action=UpdateUser", admin).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[0].outcome").isEqualTo("SUCCESS")
                .jsonPath("$.items[0].detail").isEqualTo("UserProfileUpdated, UserRoleChanged")
                .jsonPath("$.items[1].outcome").isEqualTo("FAILURE");
    }

    @Test
    void refusedTransitionsAre409AndUnknownIdsAre404() {
        String admin = api.adminToken();
        String userId = api.createUser(admin, Api.uniqueName("conf"), "REGULAR");

        api.post("/api/admin/users/" + userId + "/approve", admin, null).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("ACTIVE"));
        api.post("/api/admin/users/00000000-0000-0000-0000-000000000000/approve", admin, null).expectStatus().isNotFound();
        api.post("/api/admin/users/not-a-uuid/reject", admin, null).expectStatus().isNotFound();
        api.get("/api/admin/users/00000000-0000-0000-0000-000000000000", admin).expectStatus().isNotFound();
        api.put("/api/admin/users/00000000-0000-0000-0000-000000000000", admin, Map.of("fullName", "Nobody"))
                .expectStatus().isNotFound().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        api.get("/api/admin/users/00000000-0000-0000-0000-000000000000/history", admin).expectStatus().isNotFound();
    }

    @Test
    void everyEventCarriesActorSourceAndCorrelationId() {
        String admin = api.adminToken();
        String username = Api.uniqueName("meta");
        String userId = api.register(username);
        String correlationId = "walk-" + username;
        client.post().uri("/api/admin/users/" + userId + "/approve").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .header("X-Correlation-Id", correlationId).exchange()
                .expectStatus().isAccepted()
                .expectHeader().valueEquals("X-Correlation-Id", correlationId)
                .expectBody().jsonPath("$.operationId").isNotEmpty();

        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(userId).asStream().toList();

        assertThat(events).hasSize(2);
        AuditMetadata registered = AuditMetadata.from(events.get(0).getMetaData());
        assertThat(events.get(0).getPayload()).isInstanceOf(UserRegistered.class);
        assertThat(registered.actorId()).isNull();
        assertThat(registered.sourceIp()).isEqualTo("127.0.0.1");
        assertThat(registered.correlationId()).isNotBlank();
        AuditMetadata approved = AuditMetadata.from(events.get(1).getMetaData());
        assertThat(approved.actorUsername()).isEqualTo(TestAdmin.USERNAME);
        assertThat(approved.actorRole()).isEqualTo("ADMIN");
        assertThat(approved.actorId()).isNotBlank();
        assertThat(approved.sourceIp()).isEqualTo("127.0.0.1");
        assertThat(approved.correlationId()).isEqualTo(correlationId);
        // The provisioning the approval started carries the same correlation id, linking it to the admin's action.
        String container = com.gpudash.api.container.ContainerId.forUser(com.gpudash.api.user.UserId.of(userId)).value();
        assertThat(eventStore.readEvents(container).asStream().findFirst().orElseThrow().getMetaData().get("correlationId"))
                .isEqualTo(correlationId);

        api.get("/api/admin/users/" + userId + "/history", admin).expectStatus().isOk().expectBody()
                .jsonPath("$[1].type").isEqualTo("UserApproved")
                .jsonPath("$[1].actor.username").isEqualTo(TestAdmin.USERNAME)
                .jsonPath("$[1].correlationId").isEqualTo(correlationId)
                .jsonPath("$[1].timestamp").isNotEmpty();
    }

    @Test
    void aRefusedCallIsRecordedWithActorRouteAndSource() {
        String username = Api.uniqueName("denied");
        String admin = api.adminToken();
        api.createUser(admin, username, "REGULAR");
        String regular = api.token(username, Api.PASSWORD);
        String correlationId = "denied-" + username;

        client.get().uri("/api/admin/stats").header(HttpHeaders.AUTHORIZATION, "Bearer " + regular)
                .header("X-Correlation-Id", correlationId).exchange().expectStatus().isForbidden();

        List<Map<String, Object>> recorded = jdbc.queryForList("SELECT payload, metaData FROM DomainEventEntry"
                + " WHERE payloadType = ? ORDER BY globalIndex DESC LIMIT 50", AccessDenied.class.getName());
        assertThat(recorded).anySatisfy(row -> {
            String payload = new String((byte[]) row.get("payload"));
            String metadata = new String((byte[]) row.get("metaData"));
            assertThat(payload).contains("/api/admin/stats", "\"status\":403", "VIEW_DASHBOARD");
            assertThat(metadata).contains(correlationId, username, "127.0.0.1");
        });
    }

    @Test
    void theUserListFiltersAndPages() {
        String admin = api.adminToken();
        String prefix = Api.uniqueName("list");
        List<String> namesInCreationOrder = new java.util.ArrayList<>();
        for (String role : List.of("QVP", "REGULAR", "REGULAR")) {
            String username = prefix + "-" + role.toLowerCase() + "-" + Api.uniqueName("u").substring(2);
            api.createUser(admin, username, role);
            namesInCreationOrder.add(username);
        }
        String pendingId = api.register(prefix + "-pending");
        namesInCreationOrder.add(prefix + "-pending");
        String query = "/api/admin/users?q=" + prefix.toUpperCase();

        awaitTotal(admin, query, 4);
        // Pages of one, one after the other, give the users in the order they were created.
        for (int page = 0; page < namesInCreationOrder.size(); page++) {
            api.get(query + "&size=1&page=" + page, admin).expectStatus().isOk().expectBody()
                    .jsonPath("$.items[0].username").isEqualTo(namesInCreationOrder.get(page));
        }
        api.get(query + "&role=QVP", admin).expectStatus().isOk().expectBody()
                .jsonPath("$.total").isEqualTo(1).jsonPath("$.items[0].role").isEqualTo("QVP");
        api.get(query + "&status=PENDING", admin).expectStatus().isOk().expectBody()
                .jsonPath("$.total").isEqualTo(1).jsonPath("$.items[0].id").isEqualTo(pendingId)
                .jsonPath("$.items[0].container").isEmpty();
        api.get(query + "&status=ACTIVE&role=REGULAR&page=1&size=1", admin).expectStatus().isOk().expectBody()
                .jsonPath("$.total").isEqualTo(2).jsonPath("$.page").isEqualTo(1).jsonPath("$.size").isEqualTo(1)
                .jsonPath("$.items.length()").isEqualTo(1);
        api.get("/api/admin/users?q=" + prefix + "&page=5", admin).expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(0).jsonPath("$.total").isEqualTo(4);
        api.get("/api/admin/users?q=%25", admin).expectStatus().isOk(); // a wildcard is searched for literally
        api.get("/api/admin/users?size=501", admin).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        api.get("/api/admin/users?size=0", admin).expectStatus().isBadRequest();
        api.get("/api/admin/users?page=-1", admin).expectStatus().isBadRequest();
        api.get("/api/admin/users?status=GONE", admin).expectStatus().isBadRequest();
        api.get("/api/admin/users?role=ROOT", admin).expectStatus().isBadRequest();
    }

    /** The list is a read model behind a tracking processor: it catches up within milliseconds, not at once. */
    private void awaitTotal(String admin, String query, int total) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Object actual;
        do {
            actual = api.get(query, admin).expectStatus().isOk().expectBody(Map.class).returnResult()
                    .getResponseBody().get("total");
        } while (!Integer.valueOf(total).equals(actual) && System.nanoTime() < deadline);
        assertThat(actual).isEqualTo(total);
    }
}
