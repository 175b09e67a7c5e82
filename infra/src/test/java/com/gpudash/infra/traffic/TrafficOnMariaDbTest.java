package com.gpudash.infra.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import com.gpudash.infra.MariaDbApplicationTest;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The per-user counts add up in MariaDB's table flush after flush, as they do on H2. */
@MariaDbApplicationTest
class TrafficOnMariaDbTest {

    private static final String PASSWORD = "live-traffic-password";

    @Autowired
    WebTestClient client;

    @Test
    void eachFlushAddsToWhatTheTableHolds() {
        String admin = login(TestAdmin.USERNAME, TestAdmin.PASSWORD);
        String username = "live-maria-" + UUID.randomUUID().toString().substring(0, 8);
        String userId = (String) call(admin).post().uri("/api/admin/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", PASSWORD, "email", username + "@example.org",
                        "role", "REGULAR"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        String token = login(username, PASSWORD);

        call(token).get().uri("/api/user/services").exchange().expectStatus().isOk();
        call(token).get().uri("/api/user/services").exchange().expectStatus().isOk();
        // A call is counted once its answer is written, which the client may see a moment before.
        Map<?, ?> first = awaitRequests(admin, userId, 2);
        call(token).get().uri("/api/validate-session").exchange().expectStatus().isOk();
        Map<?, ?> second = awaitRequests(admin, userId, 3);

        assertThat(first.get("requests")).isEqualTo(2);
        assertThat(first.get("username")).isEqualTo(username);
        assertThat(second.get("requests")).isEqualTo(3);
        assertThat(((Number) second.get("bytesOut")).longValue()).isGreaterThan(((Number) first.get("bytesOut")).longValue());
        assertThat((String) second.get("lastSeenAt")).isGreaterThanOrEqualTo((String) first.get("lastSeenAt"));
    }

    private Map<?, ?> awaitRequests(String admin, String userId, int expected) {
        return Eventually.await(() -> expected + " requests of " + userId + "; last: " + trafficOf(admin, userId),
                Duration.ofSeconds(10), () -> Optional.<Map<?, ?>>of(trafficOf(admin, userId))
                        .filter(entry -> Integer.valueOf(expected).equals(entry.get("requests"))));
    }

    @SuppressWarnings("unchecked")
    private Map<?, ?> trafficOf(String admin, String userId) {
        Map<?, ?> page = call(admin).get().uri("/api/admin/traffic?size=500").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<?, ?>>) page.get("items")).stream().filter(item -> userId.equals(item.get("userId")))
                .findFirst().orElse(Map.of());
    }

    private WebTestClient call(String token) {
        return client.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }

    private String login(String username, String password) {
        return (String) Objects.requireNonNull(client.post().uri("/api/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password))
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody()).get("token");
    }
}
