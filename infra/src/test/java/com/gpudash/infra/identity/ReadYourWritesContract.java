package com.gpudash.infra.identity;

import java.nio.charset.StandardCharsets;
import java.util.List;
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
            String operation = JsonPath.read(new String(approval, StandardCharsets.UTF_8),
                    "$.operationId");

            api.get("/api/operations/" + operation, admin).expectStatus().isOk();
            String token = api.token(username, Api.PASSWORD);
            api.get("/api/validate-session", token).expectStatus().isOk()
                    .expectBody().jsonPath("$.user.status").isEqualTo("ACTIVE");
            api.get("/api/operations/" + operation, token).expectStatus().isOk();
        }
    }

    @Test
    void aCreatedUserIsAtOnceInTheDetailAndTheFilteredList() {
        for (int round = 0; round < ROUNDS; round++) {
            String username = Api.uniqueName("ryw-made");
            String id = api.createUser(admin, username, "QVP");

            api.get("/api/admin/users/" + id, admin).expectStatus().isOk()
                    .expectBody().jsonPath("$.role").isEqualTo("QVP");
            api.get("/api/admin/users?role=QVP&status=ACTIVE&q=" + username, admin).expectStatus().isOk()
                    .expectBody().jsonPath("$.items[0].id").isEqualTo(id);
        }
    }

    @Test
    void aRoleAndStatusEditIsAtOnceInTheList() {
        String username = Api.uniqueName("ryw-edit");
        String id = api.createUser(admin, username, "REGULAR");
        for (int round = 0; round < 5; round++) {
            api.put("/api/admin/users/" + id, admin, Map.of("role", "QVP", "status", "DISABLED"))
                    .expectStatus().isOk();
            api.get("/api/admin/users?status=DISABLED&q=" + username, admin).expectStatus().isOk()
                    .expectBody().jsonPath("$.items[0].role").isEqualTo("QVP");

            api.put("/api/admin/users/" + id, admin, Map.of("role", "REGULAR", "status", "ACTIVE"))
                    .expectStatus().isOk();
            api.get("/api/admin/users?status=ACTIVE&q=" + username, admin).expectStatus().isOk()
                    .expectBody().jsonPath("$.items[0].role").isEqualTo("REGULAR");
        }
    }

    @Test
    void aRejectionAndADeletionAreAtOnceInTheDetailAndTheDeletionsOperation() {
        for (int round = 0; round < 5; round++) {
            String rejected = api.register(Api.uniqueName("ryw-rej"));
            api.post("/api/admin/users/" + rejected + "/reject", admin, Map.of("reason", "round " + round))
                    .expectStatus().is2xxSuccessful();
            api.get("/api/admin/users/" + rejected, admin).expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("REJECTED");

            String deleted = api.createUser(admin, Api.uniqueName("ryw-del"), "REGULAR");
            byte[] removal = client.delete().uri("/api/users/" + deleted).header("Authorization", "Bearer " + admin)
                    .exchange().expectStatus().isAccepted().expectBody().returnResult().getResponseBodyContent();
            String operation = JsonPath.read(new String(removal, StandardCharsets.UTF_8), "$.operationId");
            api.get("/api/admin/users/" + deleted, admin).expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("DELETED");
            api.get("/api/operations/" + operation, admin).expectStatus().isOk();
        }
    }

    @Test
    void aServerIsAtOnceInTheListAndGoneAtOnceOnceRemoved() {
        for (int round = 0; round < 5; round++) {
            String name = Api.uniqueName("ryw-gpu");
            // Port 1 on loopback: nothing answers there, and nothing needs to for the server to be listed.
            String id = JsonPath.read(new String(api.post("/api/admin/servers", admin, Map.of("name", name,
                            "host", "127.0.0.1", "dockerEndpoint", "tcp://127.0.0.1:1", "maxContainers", 2))
                    .expectStatus().isCreated().expectBody().returnResult().getResponseBodyContent(),
                    StandardCharsets.UTF_8), "$.id");

            api.get("/api/admin/servers/" + id, admin).expectStatus().isOk()
                    .expectBody().jsonPath("$.name").isEqualTo(name);
            api.get("/api/admin/servers?size=100", admin).expectStatus().isOk()
                    .expectBody().jsonPath("$.items[?(@.id == '" + id + "')].name").isEqualTo(List.of(name));

            client.delete().uri("/api/admin/servers/" + id).header("Authorization", "Bearer " + admin).exchange()
                    .expectStatus().isNoContent();
            api.get("/api/admin/servers/" + id, admin).expectStatus().isNotFound();
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
