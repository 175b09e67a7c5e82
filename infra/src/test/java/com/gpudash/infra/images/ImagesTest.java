package com.gpudash.infra.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerSpec;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Images on the real Docker Engine through the HTTP API: list, build, delete, and the in-use conflict. */
@H2ApplicationTest
@RequiresServices(Service.DOCKER)
class ImagesTest {

    WebTestClient client;
    @Autowired
    ContainerRuntime runtime;

    private String serverId;
    private String containerToRemove;

    @BeforeEach
    void registerTheLocalEngine(@Autowired WebTestClient anonymous) {
        client = TestAdmin.signedIn(anonymous);
        String body = client.post().uri("/api/admin/servers").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "img-" + UUID.randomUUID().toString().substring(0, 8), "host", "127.0.0.1",
                        "dockerEndpoint", TestServices.dockerEndpoint()))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        serverId = JsonPath.read(body, "$.id");
        awaitRegistered();
    }

    @AfterEach
    void cleanUp() {
        if (containerToRemove != null) {
            runtime.removeContainer(DockerEndpoint.of(TestServices.dockerEndpoint()), containerToRemove, true);
        }
        client.delete().uri("/api/admin/servers/{id}?force=true", serverId).exchange();
    }

    @Test
    void theListShowsTheLocalTestImageWithItsSize() {
        String body = client.get().uri("/api/admin/docker-images?serverId={id}", serverId).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

        List<Map<String, Object>> testImage = JsonPath.read(body, "$[?('" + TestServices.dockerImage() + "' in @.tags)]");
        assertThat(testImage).singleElement().satisfies(image -> {
            assertThat(image.get("serverId")).isEqualTo(serverId);
            assertThat(((Number) image.get("sizeBytes")).longValue()).isPositive();
            assertThat((String) image.get("id")).startsWith("sha256:");
        });
    }

    @Test
    void anImageBuiltFromTheTestImageCanBeDeleted() {
        String tag = "gpudash-test/built-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        String build = client.post().uri("/api/admin/docker-images/build").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serverId", serverId, "tag", tag,
                        "dockerfile", "FROM " + TestServices.dockerImage() + "\nLABEL gpudash.test.run=" + UUID.randomUUID() + "\n"))
                .exchange().expectStatus().isAccepted().expectBody(String.class).returnResult().getResponseBody();

        String built = awaitOperation(JsonPath.read(build, "$.operationId"));
        assertThat(JsonPath.<String>read(built, "$.status")).as(built).isEqualTo("SUCCEEDED");
        assertThat(JsonPath.<String>read(built, "$.result.tag")).isEqualTo(tag);
        client.get().uri("/api/admin/docker-images?serverId={id}", serverId).exchange()
                .expectBody().jsonPath("$[?('" + tag + "' in @.tags)]").exists();

        // By id: a name with a '/' cannot travel in a path segment (an encoded slash is refused as a request).
        String imageId = JsonPath.read(built, "$.result.imageId");
        String deletion = client.delete().uri("/api/admin/docker-images/{id}?serverId={server}", imageId, serverId).exchange()
                .expectStatus().isAccepted().expectBody(String.class).returnResult().getResponseBody();
        String deleted = awaitOperation(JsonPath.read(deletion, "$.operationId"));
        assertThat(JsonPath.<String>read(deleted, "$.status")).as(deleted).isEqualTo("SUCCEEDED");
        client.get().uri("/api/admin/docker-images?serverId={id}", serverId).exchange()
                .expectBody().jsonPath("$[?('" + tag + "' in @.tags)]").doesNotExist();
    }

    @Test
    void anImageAContainerUsesIsAConflictUnlessForced() {
        DockerEndpoint engine = DockerEndpoint.of(TestServices.dockerEndpoint());
        containerToRemove = runtime.createContainer(engine, new ContainerSpec(TestServices.dockerImage(),
                "gpudash-imgtest-" + UUID.randomUUID().toString().substring(0, 8), Map.of("gpudash.test", "images"),
                0.5, 64L << 20, List.of(), "/tmp", "/workspace", 8080, "127.0.0.1"));

        client.delete().uri("/api/admin/docker-images/{id}?serverId={server}", TestServices.dockerImage(), serverId)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("force=true"));
        client.delete().uri("/api/admin/docker-images/{id}?serverId={server}", "no-such-image:0", serverId).exchange()
                .expectStatus().isNotFound();
        client.delete().uri("/api/admin/docker-images/{id}?serverId={server}", "Bad Image!", serverId).exchange()
                .expectStatus().isBadRequest();
    }

    private void awaitRegistered() {
        Eventually.await("server " + serverId + " in the read model", Duration.ofSeconds(10),
                () -> Optional.of(client.get().uri("/api/admin/servers/{id}", serverId).exchange()
                        .returnResult(String.class).getStatus().value()).filter(status -> status == 200));
    }

    private String awaitOperation(String operationId) {
        AtomicReference<String> last = new AtomicReference<>();
        return Eventually.await(() -> "operation " + operationId + " to finish: " + last.get(), Duration.ofSeconds(60),
                () -> {
                    last.set(client.get().uri("/api/operations/{id}", operationId).exchange()
                            .returnResult(String.class).getResponseBody().blockFirst());
                    return Optional.ofNullable(last.get())
                            .filter(body -> body.contains("\"SUCCEEDED\"") || body.contains("\"FAILED\""));
                });
    }
}
