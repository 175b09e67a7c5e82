package com.gpudash.infra.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The server registry through its HTTP endpoints: add, list, uniqueness under a race, remove. */
@H2ApplicationTest
class ServerRegistryTest {

    @BeforeEach
    void signIn(@Autowired WebTestClient anonymous) {
        client = TestAdmin.signedIn(anonymous);
    }

    WebTestClient client;
    @Autowired
    JdbcTemplate jdbc;

    private static String uniqueName() {
        return "gpu-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private WebTestClient.ResponseSpec add(Map<String, Object> body) {
        return client.post().uri("/api/admin/servers").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @Test
    void anAddedServerIsListedAndRemoved() {
        String name = uniqueName();

        add(Map.of("name", name, "host", "127.0.0.1", "dockerEndpoint", "unix:///var/run/docker.sock",
                "sshPort", 2222, "sshHostKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2mZ test@host"))
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.name").isEqualTo(name)
                .jsonPath("$.status").isEqualTo("UNKNOWN")
                .jsonPath("$.sshPort").isEqualTo(2222)
                .jsonPath("$.sshUser").isEqualTo("root")
                .jsonPath("$.maxContainers").isEqualTo(8);

        String listed = awaitListed(name);
        assertThat(listed).contains("\"dockerEndpoint\":\"unix:///var/run/docker.sock\"");
        String serverId = com.jayway.jsonpath.JsonPath.<List<String>>read(listed, "$.items[?(@.name == '" + name + "')].id").get(0);

        client.get().uri("/api/admin/servers/{id}", serverId).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo(name);
        client.delete().uri("/api/admin/servers/{id}", serverId).exchange().expectStatus().isNoContent();
        client.delete().uri("/api/admin/servers/{id}", serverId).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aTakenNameIsAConflictEvenWhenRequestsRace() throws Exception {
        String name = uniqueName();
        Map<String, Object> body = Map.of("name", name, "host", "127.0.0.3", "dockerEndpoint", "tcp://127.0.0.3:2376");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<HttpStatus>> racers = IntStream.range(0, 8).<Callable<HttpStatus>>mapToObj(i ->
                    () -> HttpStatus.valueOf(add(body).returnResult(String.class).getStatus().value())).toList();
            List<HttpStatus> statuses = pool.invokeAll(racers).stream().map(ServerRegistryTest::get).toList();

            assertThat(statuses).filteredOn(HttpStatus.CREATED::equals).hasSize(1);
            assertThat(statuses).filteredOn(HttpStatus.CONFLICT::equals).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
        add(body).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.detail").isEqualTo("A server named '" + name + "' exists already");
    }

    @Test
    void badServerFieldsAreRefusedByName() {
        add(Map.of("name", "Bad Name!", "host", "10.0.0.1; rm -rf /", "dockerEndpoint", "http://x",
                "sshPort", 0, "maxContainers", 0, "sshHostKey", "not a key"))
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[?(@.field == 'name')]").exists()
                .jsonPath("$.errors[?(@.field == 'host')]").exists()
                .jsonPath("$.errors[?(@.field == 'dockerEndpoint')]").exists()
                .jsonPath("$.errors[?(@.field == 'sshPort')]").exists()
                .jsonPath("$.errors[?(@.field == 'maxContainers')]").exists()
                .jsonPath("$.errors[?(@.field == 'sshHostKey')]").exists();
        add(Map.of("host", "127.0.0.1", "dockerEndpoint", "tcp://127.0.0.1:2376"))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("name");
        client.get().uri("/api/admin/servers/not-a-uuid").exchange().expectStatus().isBadRequest();
        client.get().uri("/api/admin/servers/{id}", UUID.randomUUID()).exchange().expectStatus().isNotFound();
        client.get().uri("/api/admin/servers?size=501").exchange().expectStatus().isBadRequest();
    }

    /**
     * An endpoint the adapter would always refuse is refused at registration, with the reason, and stores nothing:
     * link-local always (the cloud metadata service), plain TCP to another host than loopback without TLS or the
     * opt-in, SSH without the management key (this application runs with none of them).
     */
    @Test
    void anEndpointThatIsNeverUsedIsRefusedAndNothingIsStored() {
        Map<String, String> refusals = Map.of(
                "tcp://169.254.169.254:2375", "link-local",
                "tcp://[fe80::1]:2375", "link-local",
                "tcp://0xa9fea9fe:2375", "four decimal numbers",
                "tcp://10.1.2.3:2375", "DOCKER_ALLOW_PLAIN_TCP",
                "ssh://root@10.1.2.3", "SSH_PRIVATE_KEY");
        List<String> refusedNames = new java.util.ArrayList<>();
        refusals.forEach((endpoint, reason) -> {
            String name = uniqueName();
            refusedNames.add(name);
            add(Map.of("name", name, "host", "10.1.2.3", "dockerEndpoint", endpoint))
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:gpudash:problem:validation")
                    .jsonPath("$.errors.length()").isEqualTo(1)
                    .jsonPath("$.errors[0].field").isEqualTo("dockerEndpoint")
                    .jsonPath("$.errors[0].message").value(message -> assertThat((String) message)
                            .contains(endpoint, reason))
                    .jsonPath("$.detail").value(detail -> assertThat((String) detail).startsWith("dockerEndpoint: "));
        });

        // The read model trails the event store: once a server added later is listed, the refused ones would be too.
        String later = uniqueName();
        add(Map.of("name", later, "host", "127.0.0.1", "dockerEndpoint", "tcp://127.0.0.1:2375"))
                .expectStatus().isCreated();
        String listed = awaitListed(later);
        assertThat(refusedNames).allSatisfy(name -> assertThat(listed).doesNotContain(name));
        assertThat(jdbc.queryForList("SELECT payload FROM DomainEventEntry ORDER BY globalIndex DESC LIMIT 500",
                byte[].class)).noneSatisfy(payload -> assertThat(new String(payload, StandardCharsets.UTF_8))
                .containsAnyOf(refusedNames.toArray(String[]::new)));
    }

    private String awaitListed(String name) {
        AtomicReference<String> last = new AtomicReference<>();
        return Eventually.await(() -> "server " + name + " in the read model: " + last.get(), Duration.ofSeconds(10),
                () -> {
                    last.set(client.get().uri("/api/admin/servers?size=500").exchange()
                            .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
                    return Optional.ofNullable(last.get()).filter(body -> body.contains("\"name\":\"" + name + "\""));
                });
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
