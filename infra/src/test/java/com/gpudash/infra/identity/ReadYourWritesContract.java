package com.gpudash.infra.identity;

import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A client that got a 2xx for a write sees it in the very next read, every time, whoever reads: no retries, no
 * waiting in the test. Each write is followed at once by the reads of what it changed, over and over, so that a
 * projection trailing the event store would show as a 404 or an old value sooner or later.
 */
abstract class ReadYourWritesContract {

    private static final int ROUNDS = 15;

    @Autowired
    WebTestClient client;

    Api api;
    String admin;

    @BeforeEach
    void setUp() {
        api = new Api(client);
        admin = api.adminToken();
    }

    @Test
    void aRegistrationIsAtOnceInTheAdminsDetailAndList() {
        for (int round = 0; round < ROUNDS; round++) {
            String username = Api.uniqueName("ryw");
            String id = api.register(username);

            api.get("/api/admin/users/" + id, admin).expectStatus().isOk()
                    .expectBody().jsonPath("$.username").isEqualTo(username);
            api.get("/api/admin/users?q=" + username, admin).expectStatus().isOk()
                    .expectBody().jsonPath("$.items[0].id").isEqualTo(id);
        }
    }

    @Test
    void aProfileUpdateIsAtOnceInTheDetail() {
        String id = api.createUser(admin, Api.uniqueName("ryw-profile"), "REGULAR");
        for (int round = 0; round < ROUNDS; round++) {
            String fullName = "Name number " + round;
            client.put().uri("/api/admin/users/" + id).header("Authorization", "Bearer " + admin)
                    .bodyValue(Map.of("fullName", fullName)).exchange().expectStatus().isOk();

            api.get("/api/admin/users/" + id, admin).expectStatus().isOk()
                    .expectBody().jsonPath("$.fullName").isEqualTo(fullName);
        }
    }

    @Test
    void anApprovalIsAtOnceInItsOperationAndTheUsersOwnSession() {
        for (int round = 0; round < 5; round++) {
            String username = Api.uniqueName("ryw-approve");
            String id = api.register(username);
            byte[] approval = api.post("/api/admin/users/" + id + "/approve", admin, null).expectStatus().isAccepted()
                    .expectBody().returnResult().getResponseBodyContent();
            String operation = JsonPath.read(new String(approval, java.nio.charset.StandardCharsets.UTF_8),
                    "$.operationId");

            api.get("/api/operations/" + operation, admin).expectStatus().isOk();
            String token = api.token(username, Api.PASSWORD);
            api.get("/api/validate-session", token).expectStatus().isOk()
                    .expectBody().jsonPath("$.user.status").isEqualTo("ACTIVE");
            api.get("/api/operations/" + operation, token).expectStatus().isOk();
        }
    }

    /** Few rounds: every failed login here counts towards the per-address allowance of the shared test context. */
    @Test
    void aRefusedLoginIsAtOnceInTheAuditLog() {
        for (int round = 0; round < 5; round++) {
            String username = Api.uniqueName("ryw-nobody");
            api.login(username, "not a password").expectStatus().isUnauthorized();

            api.get("/api/admin/logs?actor=" + username, admin).expectStatus().isOk()
                    .expectBody().jsonPath("$.items[0].action").isEqualTo("Login")
                    .jsonPath("$.items[0].outcome").isEqualTo("FAILURE");
        }
    }
}
