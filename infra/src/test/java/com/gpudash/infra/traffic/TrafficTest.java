package com.gpudash.infra.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.DoubleSupplier;

import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Requests and bytes per route in Prometheus, per user in {@code GET /api/admin/traffic}. */
@H2ApplicationTest
class TrafficTest {

    private static final String PASSWORD = "live-traffic-password";

    @Autowired
    WebTestClient client;
    @Autowired
    MeterRegistry registry;
    @LocalManagementPort
    int managementPort;

    @Test
    void aUsersRequestsAndBytesAreCountedForThemAndForTheRoute() {
        String admin = login(TestAdmin.USERNAME, TestAdmin.PASSWORD);
        String username = "live-traffic-" + UUID.randomUUID().toString().substring(0, 8);
        String userId = createUser(admin, username);
        String token = login(username, PASSWORD);
        double servicesBefore = requests("/api/user/services", "GET", "SUCCESS");
        double passwordBefore = requests("/api/user/password", "POST", "CLIENT_ERROR");
        double receivedBefore = bytes("gpudash.api.received", "/api/user/password", "POST");
        double sentBefore = bytes("gpudash.api.sent", "/api/user/services", "GET");

        long sent = 0;
        for (int i = 0; i < 3; i++) {
            sent += call(token).get().uri("/api/user/services").exchange().expectStatus().isOk()
                    .expectBody().returnResult().getResponseBody().length;
        }
        // An empty change of password is refused (400) after its body, two bytes, has been read.
        byte[] refusal = call(token).post().uri("/api/user/password").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange().expectStatus().isBadRequest()
                .expectBody().returnResult().getResponseBody();
        String unknown = UUID.randomUUID().toString();
        call(token).get().uri("/api/operations/" + unknown).exchange().expectStatus().isNotFound();

        // A call is counted once its answer is written, which the client may see a moment before.
        awaitCount(() -> requests("/api/user/services", "GET", "SUCCESS") - servicesBefore, 3);
        awaitCount(() -> requests("/api/operations/{id}", "GET", "CLIENT_ERROR"), 1);
        assertThat(requests("/api/user/password", "POST", "CLIENT_ERROR") - passwordBefore).isEqualTo(1);
        assertThat(bytes("gpudash.api.received", "/api/user/password", "POST") - receivedBefore).isEqualTo(2);
        assertThat(bytes("gpudash.api.sent", "/api/user/services", "GET") - sentBefore).isEqualTo(sent);
        assertThat(requests("/api/operations/{id}", "GET", "CLIENT_ERROR")).isPositive();
        assertThat(registry.getMeters().stream().filter(meter -> meter.getId().getName().startsWith("gpudash.api."))
                .flatMap(meter -> meter.getId().getTags().stream()).map(Tag::getValue))
                .as("no raw path, id or username in a label")
                .noneMatch(value -> value.contains(unknown) || value.contains(username) || value.contains(userId));

        Map<?, ?> entry = awaitRequests(admin, userId, 5);
        // The login had no session yet; the five calls after it did.
        assertThat(entry.get("requests")).isEqualTo(5);
        assertThat(entry.get("username")).isEqualTo(username);
        assertThat(entry.get("bytesIn")).isEqualTo(2);
        assertThat(((Number) entry.get("bytesOut")).longValue()).isGreaterThanOrEqualTo(sent + refusal.length);
        assertThat(entry.get("lastSeenAt")).isNotNull();

        call(token).get().uri("/api/validate-session").exchange().expectStatus().isOk();
        assertThat(awaitRequests(admin, userId, 6).get("requests")).as("counted on top of what was stored").isEqualTo(6);
    }

    @Test
    void theListIsBusiestFirstAndPagedAndOnlyForAdmins() {
        String admin = login(TestAdmin.USERNAME, TestAdmin.PASSWORD);
        String busyName = "live-busy-" + UUID.randomUUID().toString().substring(0, 8);
        String busy = createUser(admin, busyName);
        String token = login(busyName, PASSWORD);
        for (int i = 0; i < 3; i++) {
            call(token).get().uri("/api/user/services").exchange().expectStatus().isOk();
        }

        Map<?, ?> page = call(admin).get().uri("/api/admin/traffic?page=0&size=2").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        List<Map<?, ?>> items = items(page);
        assertThat(page.get("page")).isEqualTo(0);
        assertThat(page.get("size")).isEqualTo(2);
        assertThat(items).hasSizeLessThanOrEqualTo(2);
        assertThat(((Number) page.get("total")).longValue()).isGreaterThanOrEqualTo(2);
        assertThat(page.get("since")).isNotNull();
        List<Map<?, ?>> all = items(call(admin).get().uri("/api/admin/traffic?size=500").exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody());
        assertThat(all).extracting(item -> ((Number) item.get("requests")).longValue())
                .isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(all).anySatisfy(item -> assertThat(item.get("userId")).isEqualTo(busy));
        call(token).get().uri("/api/admin/traffic").exchange().expectStatus().isForbidden();
        call(admin).get().uri("/api/admin/traffic?size=501").exchange().expectStatus().isBadRequest();
    }

    @Test
    void prometheusScrapesTheRequestAndByteCountersUnderTheirConventionalNames() {
        String admin = login(TestAdmin.USERNAME, TestAdmin.PASSWORD);
        call(admin).get().uri("/api/admin/users").exchange().expectStatus().isOk();

        String scrape = client.mutate().baseUrl("http://127.0.0.1:" + managementPort)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 << 20)).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(scrape).containsPattern("gpudash_api_requests_total\\{[^}]*method=\"GET\"[^}]*outcome=\"SUCCESS\""
                + "[^}]*route=\"/api/admin/users\"[^}]*} [1-9]");
        assertThat(scrape).containsPattern("gpudash_api_sent_bytes_total\\{[^}]*route=\"/api/admin/users\"[^}]*} [1-9]");
        assertThat(scrape).contains("# TYPE gpudash_api_received_bytes_total counter");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<?, ?>> items(Map<?, ?> page) {
        return (List<Map<?, ?>>) page.get("items");
    }

    private Map<?, ?> trafficOf(String admin, String userId) {
        Map<?, ?> page = call(admin).get().uri("/api/admin/traffic?size=500").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return items(page).stream().filter(item -> userId.equals(item.get("userId"))).findFirst().orElse(Map.of());
    }

    /** The user's entry once it shows {@code expected} requests, or as it is after a few seconds. */
    private Map<?, ?> awaitRequests(String admin, String userId, int expected) {
        return Eventually.await(() -> expected + " requests of " + userId + "; last: " + trafficOf(admin, userId),
                Duration.ofSeconds(10), () -> Optional.<Map<?, ?>>of(trafficOf(admin, userId))
                        .filter(entry -> Integer.valueOf(expected).equals(entry.get("requests"))));
    }

    private static void awaitCount(DoubleSupplier count, double atLeast) {
        Eventually.await(() -> "a count of " + atLeast + "; it is " + count.getAsDouble(), Duration.ofSeconds(10),
                () -> Optional.of(count.getAsDouble()).filter(counted -> counted >= atLeast));
    }

    private double requests(String route, String method, String outcome) {
        Counter counter = registry.find("gpudash.api.requests")
                .tags("route", route, "method", method, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private double bytes(String name, String route, String method) {
        Counter counter = registry.find(name).tags("route", route, "method", method).counter();
        return counter == null ? 0 : counter.count();
    }

    private WebTestClient call(String token) {
        return client.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }

    private String createUser(String admin, String username) {
        return (String) call(admin).post().uri("/api/admin/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", PASSWORD, "email", username + "@example.org",
                        "role", "REGULAR"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private String login(String username, String password) {
        return (String) Objects.requireNonNull(client.post().uri("/api/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password))
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody()).get("token");
    }
}
