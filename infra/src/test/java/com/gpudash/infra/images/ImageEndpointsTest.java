package com.gpudash.infra.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.gpudash.api.server.AddServer;
import com.gpudash.api.server.RemoveServer;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.testsupport.Eventually;
import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.infra.TestAdmin;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The image endpoints when there is no image to speak of: a server that is not registered, and one whose engine
 * does not answer (nothing listens at its port). No Docker Engine is needed for either.
 */
@H2ApplicationTest
class ImageEndpointsTest {

    WebTestClient client;
    @Autowired
    CommandGateway commands;

    private ServerId silent;

    @BeforeEach
    void registerAServerWhoseEngineDoesNotAnswer(@Autowired WebTestClient anonymous) {
        client = TestAdmin.signedIn(anonymous);
        silent = ServerId.random();
        commands.sendAndWait(new AddServer(silent, "img-silent-" + UUID.randomUUID().toString().substring(0, 8),
                new ServerConnection("127.0.0.1", "tcp://127.0.0.1:1", 22, "root", null), 4));
        Eventually.await("the server in the read model", Duration.ofSeconds(10), () ->
                client.get().uri("/api/admin/servers/{id}", silent.value()).exchange().returnResult(String.class)
                        .getStatus().is2xxSuccessful() ? Optional.of(true) : Optional.empty());
    }

    @AfterEach
    void removeIt() {
        commands.sendAndWait(new RemoveServer(silent, true));
    }

    @Test
    void anEngineThatDoesNotAnswerIsA503OnItsOwnAndLeftOutOfTheListAcrossServers() {
        client.get().uri("/api/admin/docker-images?serverId={id}", silent.value()).exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail ->
                        assertThat((String) detail).contains("The Docker Engine of server " + silent.value() + " did not answer"));
        client.delete().uri("/api/admin/docker-images/{id}?serverId={server}", "busybox:1", silent.value()).exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

        client.get().uri("/api/admin/docker-images").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.serverId == '" + silent.value() + "')]").doesNotExist();
    }

    @Test
    void aServerThatIsNotRegisteredIsA404ForEveryImageEndpoint() {
        String unknown = ServerId.random().value();

        client.get().uri("/api/admin/docker-images?serverId={id}", unknown).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.delete().uri("/api/admin/docker-images/{id}?serverId={server}", "busybox:1", unknown).exchange()
                .expectStatus().isNotFound();
        client.post().uri("/api/admin/docker-images/build").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serverId", unknown, "tag", "lab/tools:1", "dockerfile", "FROM busybox\n"))
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("No server " + unknown);
    }
}
