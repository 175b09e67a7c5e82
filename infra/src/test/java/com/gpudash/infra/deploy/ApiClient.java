package com.gpudash.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.infra.TestAdmin;
import com.jayway.jsonpath.JsonPath;

/** The HTTP API of an application in a container, as a client outside it calls it. */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private String token;

    ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** Signs in as the bootstrap administrator (ADMIN_PASSWORD = {@link TestAdmin#PASSWORD}); later calls carry the session. */
    ApiClient signInAsAdmin() throws IOException, InterruptedException {
        HttpResponse<String> login = post("/api/login", Map.of("username", TestAdmin.USERNAME,
                "password", TestAdmin.PASSWORD));
        assertThat(login.statusCode()).as("admin login: %s", login.body()).isEqualTo(200);
        token = JsonPath.read(login.body(), "$.token");
        return this;
    }

    HttpResponse<String> register(String username) throws IOException, InterruptedException {
        return post("/api/register", Map.of("username", username, "password", "a long enough password",
                "email", username + "@example.org"));
    }

    HttpResponse<String> post(String path, Map<String, ?> body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String json(Map<String, ?> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
