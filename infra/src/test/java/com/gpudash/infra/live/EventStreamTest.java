package com.gpudash.infra.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.api.container.AbandonProvisioning;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.RequestContainer;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.user.UserId;
import com.gpudash.command.session.SessionTokens;
import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.infra.TestAdmin;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;

/**
 * {@code GET /api/events/stream} through real HTTP: who sees which change, how fast, and when a stream ends. The
 * H2 test context beats every 300 ms and checks sessions every 3 s (H2ApplicationTest), so a stream that ends
 * within a second of a logout was ended by the logout itself, not found out by the check.
 */
@H2ApplicationTest
class EventStreamTest {

    private static final String PASSWORD = "live-stream-password";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    WebTestClient client;
    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate jdbc;

    private final List<Stream> streams = new CopyOnWriteArrayList<>();

    @AfterEach
    void hangUp() {
        streams.forEach(Stream::close);
    }

    @Test
    void eachCallerSeesWhatTheyMaySeeAndARegularUserOnlyTheirOwnWithinASecond() {
        String admin = adminToken();
        Account alice = createUser(admin, "live-alice", "REGULAR");
        Account bob = createUser(admin, "live-bob", "REGULAR");
        Account quinn = createUser(admin, "live-quinn", "QVP");
        Stream aliceSees = open(alice.token());
        Stream bobSees = open(bob.token());
        Stream quinnSees = open(quinn.token());
        Stream adminSees = open(admin);

        OperationId aliceProvisioning = OperationId.random();
        long requested = System.nanoTime();
        commands.sendAndWait(new RequestContainer(ContainerId.forUser(alice.id()), alice.id(), alice.username(), null,
                0, aliceProvisioning));
        Event aliceContainer = aliceSees.awaitEvent("container", data -> alice.id().value().equals(data.get("userId")));
        OperationId bobProvisioning = OperationId.random();
        commands.sendAndWait(new RequestContainer(ContainerId.forUser(bob.id()), bob.id(), bob.username(), null, 0,
                bobProvisioning));

        assertThat(Duration.ofNanos(aliceContainer.receivedAt() - requested)).isLessThan(Duration.ofSeconds(1));
        assertThat(aliceContainer.data()).containsEntry("id", ContainerId.forUser(alice.id()).value())
                .containsEntry("username", alice.username()).containsKey("status");
        aliceSees.awaitEvent("operation", data -> aliceProvisioning.value().equals(data.get("id")));
        bobSees.awaitEvent("container", data -> bob.id().value().equals(data.get("userId")));
        bobSees.awaitEvent("operation", data -> bobProvisioning.value().equals(data.get("id")));
        adminSees.awaitEvent("container", data -> alice.id().value().equals(data.get("userId")));
        adminSees.awaitEvent("container", data -> bob.id().value().equals(data.get("userId")));
        adminSees.awaitEvent("operation", data -> bobProvisioning.value().equals(data.get("id")));

        // A change of alice's user object, and a server added and removed.
        client.put().uri("/api/admin/users/" + alice.id().value()).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("fullName", "Alice Live"))
                .exchange().expectStatus().isOk();
        aliceSees.awaitEvent("user", data -> "Alice Live".equals(data.get("fullName")));
        adminSees.awaitEvent("user", data -> "Alice Live".equals(data.get("fullName")));
        String serverName = unique("live-srv");
        String serverId = (String) client.post().uri("/api/admin/servers")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                // Loopback port 1 refuses connections: the server stays OFFLINE and no placement picks it.
                .bodyValue(Map.of("name", serverName, "host", "127.0.0.1", "dockerEndpoint", "tcp://127.0.0.1:1"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        quinnSees.awaitEvent("server", data -> serverName.equals(data.get("name")));
        adminSees.awaitEvent("server", data -> serverName.equals(data.get("name")));
        client.delete().uri("/api/admin/servers/" + serverId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isNoContent();
        quinnSees.awaitEvent("server-removed", data -> serverId.equals(data.get("id")));
        adminSees.awaitEvent("server-removed", data -> serverId.equals(data.get("id")));

        // Later changes of the container arrive too; this also ends the provisionings the test started.
        commands.sendAndWait(new AbandonProvisioning(ContainerId.forUser(alice.id()), aliceProvisioning, "test over"));
        commands.sendAndWait(new AbandonProvisioning(ContainerId.forUser(bob.id()), bobProvisioning, "test over"));
        aliceSees.awaitEvent("container", data -> "FAILED".equals(data.get("status")));
        bobSees.awaitEvent("container", data -> "FAILED".equals(data.get("status")));
        aliceSees.awaitEvent("operation", data -> aliceProvisioning.value().equals(data.get("id"))
                && "FAILED".equals(data.get("status")));

        assertThat(aliceSees.events()).allSatisfy(event -> assertThat(event.concerns(alice.id())).as(event.toString()).isTrue());
        assertThat(bobSees.events()).allSatisfy(event -> assertThat(event.concerns(bob.id())).as(event.toString()).isTrue());
        assertThat(quinnSees.events()).allSatisfy(event -> assertThat(event.concerns(quinn.id())
                || event.name().startsWith("server")).as(event.toString()).isTrue());
        assertThat(quinnSees.events()).noneMatch(event -> event.name().equals("container"));
        assertThat(aliceSees.completed()).isFalse();
    }

    @Test
    void theStreamEndsWithTheSessionLogoutDisablingAPasswordChangeOrASessionEndedByAnotherNode() {
        String admin = adminToken();
        Account carol = createUser(admin, "live-carol", "REGULAR");
        Account dave = createUser(admin, "live-dave", "REGULAR");
        Account erin = createUser(admin, "live-erin", "REGULAR");
        Account henry = createUser(admin, "live-henry", "REGULAR");
        Stream carolSees = open(carol.token());
        Stream daveSees = open(dave.token());
        Stream erinSees = open(erin.token());
        Stream henrySees = open(henry.token());

        client.post().uri("/api/logout").header(HttpHeaders.AUTHORIZATION, "Bearer " + carol.token())
                .exchange().expectStatus().isNoContent();
        await().atMost(Duration.ofSeconds(1)).until(carolSees::completed);

        client.put().uri("/api/admin/users/" + dave.id().value()).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "DISABLED"))
                .exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(1)).until(daveSees::completed);

        client.post().uri("/api/user/password").header(HttpHeaders.AUTHORIZATION, "Bearer " + henry.token())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("currentPassword", PASSWORD, "newPassword", "live-stream-password-2"))
                .exchange().expectStatus().is2xxSuccessful();
        await().atMost(Duration.ofSeconds(1)).until(henrySees::completed);

        assertThat(erinSees.completed()).isFalse();
        // What another node's logout leaves behind: the row gone, and no word of it in this JVM.
        jdbc.update("DELETE FROM sessions WHERE token_hash = ?", SessionTokens.hash(erin.token()));
        await().atMost(Duration.ofSeconds(5)).until(erinSees::completed);
    }

    @Test
    void aRebuildOfTheUsersReadModelIsNotSentAgainButLaterChangesAre() {
        String admin = adminToken();
        Account grace = createUser(admin, "live-grace", "REGULAR");
        Stream adminSees = open(admin);

        String replay = (String) client.post().uri("/api/admin/projections/replay")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("projections", List.of("users-projection")))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("operationId");
        adminSees.awaitEvent("operation", data -> replay.equals(data.get("id")) && "SUCCEEDED".equals(data.get("status")));
        assertThat(adminSees.events()).as("every user replayed, none changed").noneMatch(event -> event.name().equals("user"));

        client.put().uri("/api/admin/users/" + grace.id().value()).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("fullName", "Grace After Replay"))
                .exchange().expectStatus().isOk();
        adminSees.awaitEvent("user", data -> "Grace After Replay".equals(data.get("fullName")));
    }

    @Test
    void heartbeatsKeepComingWhileNothingChanges() {
        Account frank = createUser(adminToken(), "live-frank", "REGULAR");
        Stream frankSees = open(frank.token());

        await().atMost(Duration.ofSeconds(3))
                .until(() -> frankSees.events().stream().filter(event -> event.name().equals("heartbeat")).count() >= 3);
        assertThat(frankSees.events().get(0).name()).isEqualTo("ready");
        assertThat(frankSees.events().get(0).data()).containsKey("since");
    }

    private record Account(UserId id, String username, String token) {
    }

    private record Event(String name, Map<String, Object> data, long receivedAt) {

        /** Whether this event is about that user only: their user object, container or operation, or the stream's own. */
        boolean concerns(UserId user) {
            return switch (name) {
                case "ready", "heartbeat" -> true;
                case "user" -> user.value().equals(data.get("id"));
                case "container" -> user.value().equals(data.get("userId"));
                case "operation" -> data.get("target") instanceof Map<?, ?> target
                        && user.value().equals(target.get("userId"));
                default -> false;
            };
        }
    }

    /** One open stream, recorded as it arrives. */
    /** gpudash.events.max-streams-per-user, left at its default in the test context. */
    private static final int MAX_STREAMS_PER_USER = 8;

    @Test
    void aUsersStreamBeyondTheCapIsRefusedWhileOtherUsersStillOpenTheirs() {
        String admin = adminToken();
        Account alice = createUser(admin, "live-capped", "REGULAR");
        Account bob = createUser(admin, "live-other", "REGULAR");
        for (int stream = 0; stream < MAX_STREAMS_PER_USER; stream++) {
            open(alice.token());
        }

        client.get().uri("/api/events/stream").header(HttpHeaders.AUTHORIZATION, "Bearer " + alice.token())
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER);
        open(bob.token());

        streams.get(0).close();
        // The place comes back once the server sees the connection go.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> open(alice.token()));
    }

    private final class Stream {

        private final List<Event> events = new CopyOnWriteArrayList<>();
        private volatile boolean completed;
        private final Disposable subscription;

        Stream(String token) {
            subscription = client.get().uri("/api/events/stream")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).accept(MediaType.TEXT_EVENT_STREAM)
                    .exchange().expectStatus().isOk()
                    .expectHeader().valueEquals("X-Accel-Buffering", "no")
                    .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                    .getResponseBody()
                    .subscribe(event -> events.add(new Event(event.event(), read(event.data()), System.nanoTime())),
                            error -> completed = true, () -> completed = true);
        }

        Event awaitEvent(String name, Predicate<Map<String, Object>> about) {
            await().atMost(Duration.ofSeconds(10)).until(() -> find(name, about) != null);
            return find(name, about);
        }

        private Event find(String name, Predicate<Map<String, Object>> about) {
            return events.stream().filter(event -> event.name().equals(name) && about.test(event.data()))
                    .findFirst().orElse(null);
        }

        List<Event> events() {
            return events;
        }

        boolean completed() {
            return completed;
        }

        void close() {
            subscription.dispose();
        }
    }

    private Stream open(String token) {
        Stream stream = new Stream(token);
        streams.add(stream);
        stream.awaitEvent("ready", data -> true);
        return stream;
    }

    private static Map<String, Object> read(String data) {
        try {
            return data == null ? Map.of() : JSON.readValue(data, new TypeReference<Map<String, Object>>() { });
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + data, e);
        }
    }

    private String adminToken() {
        return login(TestAdmin.USERNAME, TestAdmin.PASSWORD);
    }

    private Account createUser(String admin, String prefix, String role) {
        String username = unique(prefix);
        String id = (String) client.post().uri("/api/admin/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", PASSWORD, "email", username + "@example.org",
                        "role", role))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        return new Account(UserId.of(id), username, login(username, PASSWORD));
    }

    private String login(String username, String password) {
        return (String) Objects.requireNonNull(client.post().uri("/api/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password))
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody()).get("token");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
