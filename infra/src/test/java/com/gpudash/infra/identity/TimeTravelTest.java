package com.gpudash.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.testsupport.Eventually;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code ?asOf=}: a user or server as it was at an instant, rebuilt from the event store, must equal what the
 * read model answered at that instant.
 */
@H2ApplicationTest
class TimeTravelTest {

    /** What the live endpoint answered, and an instant at which that was still the state. */
    private record Observed(Map<String, Object> state, Instant at) {
    }

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
    void aUserAsOfEachObservedInstantIsWhatTheReadModelSaidThen() {
        String username = Api.uniqueName("tt");
        String userId = api.register(username);
        String path = "/api/admin/users/" + userId;
        List<Observed> observed = new ArrayList<>();
        observed.add(observe(path));

        api.post(path + "/approve", admin, null).expectStatus().isAccepted();
        observed.add(awaitObserved(path, "status", "ACTIVE"));
        put(path, Map.of("fullName", "Ada Lovelace", "role", "QVP"));
        observed.add(awaitObserved(path, "role", "QVP"));
        put(path, Map.of("status", "DISABLED"));
        observed.add(awaitObserved(path, "status", "DISABLED"));

        for (Observed then : observed) {
            assertThat(withoutContainer(asOf(path, then.at()))).as("as of %s", then.at())
                    .isEqualTo(withoutContainer(then.state()));
        }
        // The states differ, so each answer above really came from its own instant.
        assertThat(observed.stream().map(Observed::state).distinct()).hasSize(observed.size());
    }

    @Test
    void beforeItsRegistrationAUserDidNotExist() {
        Instant before = Instant.now();
        String userId = api.register(Api.uniqueName("tt"));

        api.get("/api/admin/users/" + userId + "?asOf=" + before, admin).expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aServerAsOfEachObservedInstantIsWhatTheReadModelSaidThenAndGoneAfterItsRemoval() {
        String name = "tt-" + UUID.randomUUID().toString().substring(0, 8);
        Map<?, ?> added = api.post("/api/admin/servers", admin, Map.of("name", name, "host", "127.0.0.1",
                        "dockerEndpoint", "tcp://127.0.0.1:9", "maxContainers", 3))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String path = "/api/admin/servers/" + added.get("id");
        Observed first = awaitStable(path);

        client.delete().uri(path).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
        awaitGone(path);
        Instant afterRemoval = Instant.now();

        assertThat(asOf(path, first.at())).isEqualTo(first.state());
        api.get(path + "?asOf=" + afterRemoval, admin).expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("removed"));
    }

    @Test
    void aMalformedInstantIsABadRequest() {
        String userId = api.register(Api.uniqueName("tt"));

        api.get("/api/admin/users/" + userId + "?asOf=yesterday", admin).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    /** Null while the read model has not caught up with the creation yet. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> live(String path) {
        var answer = api.get(path, admin).returnResult(Map.class);
        return answer.getStatus().value() == 404 ? null : (Map<String, Object>) answer.getResponseBody().blockFirst();
    }

    private Map<String, Object> asOf(String path, Instant at) {
        return body(api.get(path + "?asOf=" + at, admin).expectStatus().isOk());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(WebTestClient.ResponseSpec response) {
        return response.expectBody(Map.class).returnResult().getResponseBody();
    }

    /**
     * The read model trails the event store by a moment: an instant counts as observed only when the same
     * answer came before it and a while after it.
     */
    private Observed observe(String path) {
        return awaitStable(path);
    }

    private Observed awaitStable(String path) {
        return Eventually.await(path + " to hold still", Duration.ofSeconds(20), () -> {
            Map<String, Object> before = live(path);
            Instant at = Instant.now();
            Eventually.pause(Duration.ofMillis(200)); // the while after it in which the answer must not change
            return Optional.ofNullable(before).filter(state -> state.equals(live(path)))
                    .map(state -> new Observed(state, at));
        });
    }

    private Observed awaitObserved(String path, String field, Object value) {
        return Eventually.await(path + " to have " + field + " = " + value, Duration.ofSeconds(60),
                () -> Optional.of(awaitStable(path)).filter(observed -> value.equals(observed.state().get(field))));
    }

    private void awaitGone(String path) {
        Eventually.await(path + " to be gone", Duration.ofSeconds(10),
                () -> Optional.of(api.get(path, admin).returnResult(String.class).getStatus().value())
                        .filter(status -> status == 404));
    }

    private void put(String path, Map<String, Object> body) {
        client.put().uri(path).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk();
    }

    private static Map<String, Object> withoutContainer(Map<String, Object> user) {
        Map<String, Object> copy = new LinkedHashMap<>(user);
        copy.remove("container");
        return copy;
    }
}
