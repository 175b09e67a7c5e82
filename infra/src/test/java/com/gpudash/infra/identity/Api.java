package com.gpudash.infra.identity;

import java.util.Map;
import java.util.UUID;

import com.gpudash.infra.TestAdmin;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The identity calls the tests make again and again, through real HTTP. */
final class Api {

    static final String PASSWORD = "correct horse battery";

    private final WebTestClient client;

    Api(WebTestClient client) {
        this.client = client;
    }

    /** Names are unique per run: the test databases outlive a run. */
    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    WebTestClient.ResponseSpec post(String path, String token, Object body) {
        WebTestClient.RequestBodySpec request = client.post().uri(path).contentType(MediaType.APPLICATION_JSON);
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return body == null ? request.exchange() : request.bodyValue(body).exchange();
    }

    WebTestClient.ResponseSpec put(String path, String token, Object body) {
        WebTestClient.RequestBodySpec request = client.put().uri(path).contentType(MediaType.APPLICATION_JSON);
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return request.bodyValue(body).exchange();
    }

    WebTestClient.ResponseSpec get(String path, String token) {
        WebTestClient.RequestHeadersSpec<?> request = client.get().uri(path);
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return request.exchange();
    }

    WebTestClient.ResponseSpec login(String username, String password) {
        return post("/api/login", null, Map.of("username", username, "password", password));
    }

    String token(String username, String password) {
        return (String) login(username, password).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("token");
    }

    String adminToken() {
        return token(TestAdmin.USERNAME, TestAdmin.PASSWORD);
    }

    /** Registers a user and returns their id; they are PENDING. */
    String register(String username) {
        return register(username, username + "@example.org");
    }

    /** Registers a user under {@code email} and returns their id; they are PENDING. */
    String register(String username, String email) {
        Map<?, ?> answer = post("/api/register", null, Map.of("username", username, "password", PASSWORD,
                "email", email))
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) ((Map<?, ?>) answer.get("user")).get("id");
    }

    /** An ACTIVE user with {@code role}, created by the admin; returns their id. */
    String createUser(String adminToken, String username, String role) {
        Map<?, ?> user = post("/api/admin/users", adminToken, Map.of("username", username, "password", PASSWORD,
                "email", username + "@example.org", "role", role))
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) user.get("id");
    }
}
