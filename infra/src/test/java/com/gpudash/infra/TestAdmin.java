package com.gpudash.infra;

import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The administrator that start-up creates in the test databases (bcrypt cost 4 there keeps tests fast). */
public final class TestAdmin {

    public static final String USERNAME = "gpuadmin";
    public static final String PASSWORD = "admin-password-for-tests";

    private TestAdmin() {
    }

    /** The client with the bootstrap admin's session on every request. */
    public static WebTestClient signedIn(WebTestClient client) {
        Map<?, ?> login = client.post().uri("/api/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", USERNAME, "password", PASSWORD))
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return client.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + login.get("token")).build();
    }
}
