package com.gpudash.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.PruneRequest;
import com.gpudash.agent.PruneResult;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a server cleanup removes, on the real engine: exactly the stopped containers without the assignment label and
 * the dangling images no remaining container uses, with the bytes the engine reports. The engine is shared with
 * other tests, so the prune is confined to the label of this run, as {@code gpudash.cleanup.only-labelled} confines
 * the application's; one stopped container of another label value shows that the scope holds.
 */
@RequiresServices(Service.DOCKER)
class DockerPruneTest {

    private static final String SCOPE = "cleanup.test.run";
    private static final String ASSIGNMENT = "gpudash.assignment";
    private static final Pattern IMAGE_ID = Pattern.compile("\"status\":\"(sha256:[0-9a-f]{64})\"");

    private final String run = "cleanup-" + UUID.randomUUID().toString().substring(0, 8);
    private final DockerEndpoint engine = DockerEndpoint.of(TestServices.dockerEndpoint());
    private final PruneRequest thisRun = new PruneRequest(true, true, Map.of(SCOPE, run), Set.of(ASSIGNMENT));
    private DockerContainerRuntime runtime;
    private DockerHttpClient http;
    private DockerClient raw;

    @BeforeEach
    void connect() {
        runtime = new DockerContainerRuntime(DockerSettings.defaults());
        DefaultDockerClientConfig config = new DefaultDockerClientConfig.Builder()
                .withDockerHost(TestServices.dockerEndpoint()).build();
        http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build();
        raw = DockerClientImpl.getInstance(config, http);
    }

    @AfterEach
    void removeWhatThisTestMade() throws Exception {
        for (Container container : raw.listContainersCmd().withShowAll(true).withLabelFilter(List.of(SCOPE)).exec()) {
            if (container.getLabels().get(SCOPE).startsWith(run)) {
                raw.removeContainerCmd(container.getId()).withForce(true).exec();
            }
        }
        for (Image image : raw.listImagesCmd().withShowAll(true).withLabelFilter(Map.of(SCOPE, run)).exec()) {
            raw.removeImageCmd(image.getId()).withForce(true).exec();
        }
        runtime.close();
        raw.close();
    }

    @Test
    void removesExactlyTheUnmanagedStoppedContainersAndUnusedDanglingImagesWithTheBytesDockerReports() {
        String exited = container("cleanup-exited-" + run, TestServices.dockerImage(), Map.of(SCOPE, run), true,
                "head -c 300000 /dev/urandom > /junk");
        String created = container("cleanup-created-" + run, TestServices.dockerImage(), Map.of(SCOPE, run), false, null);
        String managed = container("cleanup-managed-" + run, TestServices.dockerImage(),
                Map.of(SCOPE, run, ASSIGNMENT, "a-" + run), true, "head -c 1000 /dev/urandom > /junk");
        String running = container("cleanup-running-" + run, TestServices.dockerImage(), Map.of(SCOPE, run), true,
                "sleep 600");
        String otherScope = container("cleanup-other-" + run, TestServices.dockerImage(), Map.of(SCOPE, run + "-other"),
                false, null);

        String unused = importImage(null);
        String usedByManaged = importImage(null);
        container("cleanup-managed-user-" + run, usedByManaged, Map.of(SCOPE, run, ASSIGNMENT, "b-" + run), false, null);
        String usedByStray = importImage(null);
        String strayUser = container("cleanup-stray-user-" + run, usedByStray, Map.of(SCOPE, run), false, null);
        String tagged = importImage("cleanup-tagged-" + run);

        PruneResult preview = runtime.previewPrune(engine, thisRun);

        assertThat(preview.containersRemoved()).containsExactlyInAnyOrder(exited, created, strayUser);
        assertThat(preview.imagesRemoved()).containsExactlyInAnyOrder(unused, usedByStray);
        assertThat(preview.bytesReclaimed()).isZero();
        for (String id : List.of(exited, created, strayUser)) {
            assertThat(runtime.inspectContainer(engine, id)).as("a preview removes nothing").isPresent();
        }
        assertThat(runtime.inspectImage(engine, unused)).isPresent();

        long expectedBytes = sizeRw(exited) + sizeRw(created) + sizeRw(strayUser) + imageSize(unused) + imageSize(usedByStray);
        assertThat(sizeRw(exited)).as("the exited container wrote to its layer").isGreaterThanOrEqualTo(300000);

        PruneResult result = runtime.prune(engine, thisRun);

        assertThat(result.containersRemoved()).containsExactlyInAnyOrder(exited, created, strayUser);
        assertThat(result.imagesRemoved()).containsExactlyInAnyOrder(unused, usedByStray);
        assertThat(result.bytesReclaimed()).isEqualTo(expectedBytes);
        for (String gone : List.of(exited, created, strayUser)) {
            assertThat(runtime.inspectContainer(engine, gone)).as(gone).isEmpty();
        }
        for (String kept : List.of(managed, running, otherScope)) {
            assertThat(runtime.inspectContainer(engine, kept)).as(kept).isPresent();
        }
        assertThat(runtime.inspectImage(engine, unused)).isEmpty();
        assertThat(runtime.inspectImage(engine, usedByStray)).isEmpty();
        assertThat(runtime.inspectImage(engine, usedByManaged)).as("an image a managed container uses stays").isPresent();
        assertThat(runtime.inspectImage(engine, tagged)).as("a tagged image is not dangling").isPresent();
        assertThat(runtime.inspectImage(engine, TestServices.dockerImage())).isPresent();

        PruneResult again = runtime.prune(engine, thisRun);
        assertThat(again.containersRemoved()).isEmpty();
        assertThat(again.imagesRemoved()).isEmpty();
        assertThat(again.bytesReclaimed()).isZero();
    }

    @Test
    void onlyWhatWasAskedForGoes() {
        String exited = container("cleanup-only-exited-" + run, TestServices.dockerImage(), Map.of(SCOPE, run), false, null);
        String unused = importImage(null);

        PruneResult containersOnly = runtime.prune(engine, new PruneRequest(true, false, Map.of(SCOPE, run), Set.of(ASSIGNMENT)));
        assertThat(containersOnly.containersRemoved()).containsExactly(exited);
        assertThat(containersOnly.imagesRemoved()).isEmpty();
        assertThat(runtime.inspectImage(engine, unused)).isPresent();

        String another = container("cleanup-only-another-" + run, TestServices.dockerImage(), Map.of(SCOPE, run), false, null);
        long unusedSize = imageSize(unused);
        PruneResult imagesOnly = runtime.prune(engine, new PruneRequest(false, true, Map.of(SCOPE, run), Set.of(ASSIGNMENT)));
        assertThat(imagesOnly.containersRemoved()).isEmpty();
        assertThat(imagesOnly.imagesRemoved()).containsExactly(unused);
        assertThat(imagesOnly.bytesReclaimed()).isEqualTo(unusedSize);
        assertThat(runtime.inspectContainer(engine, another)).isPresent();
    }

    private String container(String name, String image, Map<String, String> labels, boolean start, String script) {
        var create = raw.createContainerCmd(image).withName(name).withLabels(labels);
        create.withCmd(script == null ? List.of("true") : List.of("sh", "-c", script));
        String id = create.exec().getId();
        if (start) {
            raw.startContainerCmd(id).exec();
            if (!script.startsWith("sleep")) {
                raw.waitContainerCmd(id).start().awaitStatusCode();
            }
        }
        return id;
    }

    /** {@code docker import} of a one-file tarball: one layer of its own, so the image's size is what removing it frees. */
    private String importImage(String repository) {
        byte[] layer = DockerfileTar.of("cleanup " + run + " " + UUID.randomUUID() + "\n".repeat(1 + (int) (Math.random() * 5000)));
        String query = "fromSrc=-&changes=" + URLEncoder.encode("LABEL " + SCOPE + "=" + run, StandardCharsets.UTF_8)
                + (repository == null ? "" : "&repo=" + repository + "&tag=1");
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path("/images/create?" + query)
                .putHeader("Content-Type", "application/x-tar")
                .body(new ByteArrayInputStream(layer))
                .build();
        try (DockerHttpClient.Response response = http.execute(request)) {
            String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response.getStatusCode()).as(body).isEqualTo(200);
            Matcher id = IMAGE_ID.matcher(body);
            assertThat(id.find()).as(body).isTrue();
            return id.group(1);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private long sizeRw(String container) {
        Long size = raw.inspectContainerCmd(container).withSize(true).exec().getSizeRw();
        return size == null ? 0 : size;
    }

    private long imageSize(String image) {
        return raw.inspectImageCmd(image).exec().getSize();
    }
}
