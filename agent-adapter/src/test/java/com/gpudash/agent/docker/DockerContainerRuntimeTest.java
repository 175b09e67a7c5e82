package com.gpudash.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.gpudash.agent.ContainerRuntimeException;
import com.gpudash.agent.ContainerSpec;
import com.gpudash.agent.ContainerState;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.ImageState;
import com.gpudash.agent.InsecureEndpointException;
import com.gpudash.agent.PruneRequest;
import com.gpudash.agent.PruneResult;
import com.gpudash.agent.RuntimeConflictException;
import com.gpudash.agent.RuntimeNotFoundException;
import com.gpudash.agent.RuntimeUnavailableException;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Docker adapter against the real engine of the test services; everything made here is labelled and removed. */
@RequiresServices(Service.DOCKER)
class DockerContainerRuntimeTest {

    private static final String RUN_LABEL = "gpudash.test.run";
    private static final String ASSIGNMENT_LABEL = "gpudash.assignment";

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final DockerEndpoint engine = DockerEndpoint.of(TestServices.dockerEndpoint());
    private final List<String> imagesToRemove = new ArrayList<>();
    private DockerContainerRuntime runtime;
    private DockerClient raw;

    @TempDir
    Path workspace;

    @BeforeEach
    void connect() {
        runtime = new DockerContainerRuntime(DockerSettings.defaults());
        DefaultDockerClientConfig config = new DefaultDockerClientConfig.Builder()
                .withDockerHost(TestServices.dockerEndpoint()).build();
        raw = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
    }

    @AfterEach
    void removeWhatThisTestMade() throws Exception {
        for (ContainerState container : runtime.listContainers(engine, Map.of(RUN_LABEL, run))) {
            runtime.removeContainer(engine, container.id(), true);
        }
        for (String image : imagesToRemove) {
            if (runtime.inspectImage(engine, image).isPresent()) {
                runtime.removeImage(engine, image, true);
            }
        }
        runtime.close();
        raw.close();
    }

    @Test
    void createsExactlyTheSpecifiedContainerAndRunsItBehindItsPublishedPort() throws Exception {
        Files.writeString(workspace.resolve("index.html"), "hello " + run);
        ContainerSpec spec = spec("gpudash-test-" + run, Map.of(RUN_LABEL, run, ASSIGNMENT_LABEL, "a-" + run), List.of());

        String id = runtime.createContainer(engine, spec);
        ContainerState created = runtime.inspectContainer(engine, spec.name()).orElseThrow();
        assertThat(created.id()).isEqualTo(id);
        assertThat(created.status()).isEqualTo("created");
        assertThat(created.cpus()).isEqualTo(0.5);
        assertThat(created.memoryBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(created.labels()).containsEntry(ASSIGNMENT_LABEL, "a-" + run);

        InspectContainerResponse inspected = raw.inspectContainerCmd(id).exec();
        assertThat(inspected.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(inspected.getHostConfig().getMemory()).isEqualTo(64L * 1024 * 1024);
        assertThat(inspected.getHostConfig().getMemorySwap()).isEqualTo(64L * 1024 * 1024);
        assertThat(inspected.getHostConfig().getInit()).isTrue();
        assertThat(inspected.getHostConfig().getPrivileged()).isFalse();
        assertThat(inspected.getHostConfig().getCapAdd()).isNullOrEmpty();
        assertThat(inspected.getHostConfig().getDevices()).isNullOrEmpty();
        assertThat(inspected.getHostConfig().getDeviceRequests()).isNullOrEmpty();
        assertThat(inspected.getHostConfig().getBinds()).hasSize(1);
        assertThat(inspected.getConfig().getEnv()).contains("NVIDIA_VISIBLE_DEVICES=void");

        runtime.startContainer(engine, id);
        runtime.startContainer(engine, id);
        ContainerState running = runtime.inspectContainer(engine, id).orElseThrow();
        assertThat(running.running()).isTrue();
        assertThat(running.publishedPorts()).singleElement().satisfies(port -> {
            assertThat(port.containerPort()).isEqualTo(8080);
            assertThat(port.hostIp()).isEqualTo("127.0.0.1");
        });
        assertThat(get(running.publishedPorts().get(0).hostPort(), "/index.html")).isEqualTo("hello " + run);

        assertThat(runtime.listContainers(engine, Map.of(RUN_LABEL, run)))
                .singleElement().satisfies(listed -> {
                    assertThat(listed.name()).isEqualTo(spec.name());
                    assertThat(listed.running()).isTrue();
                    assertThat(listed.labels()).containsEntry(ASSIGNMENT_LABEL, "a-" + run);
                });
        assertThat(runtime.listContainers(engine, Map.of(ASSIGNMENT_LABEL, "")))
                .as("a label without a value matches the key alone")
                .anySatisfy(listed -> assertThat(listed.id()).isEqualTo(id));

        long before = System.nanoTime();
        runtime.stopContainer(engine, id, Duration.ofSeconds(20));
        // httpd as PID 1 would ignore SIGTERM and wait out the grace period; under an init process SIGTERM ends it.
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));
        runtime.stopContainer(engine, id, Duration.ofSeconds(20));
        assertThat(runtime.inspectContainer(engine, id).orElseThrow().status()).isEqualTo("exited");

        runtime.removeContainer(engine, id, false);
        assertThat(runtime.inspectContainer(engine, spec.name())).isEmpty();
        assertThatThrownBy(() -> runtime.removeContainer(engine, id, false)).isInstanceOf(RuntimeNotFoundException.class);
    }

    @Test
    void assignedGpusAreOneNvidiaDeviceRequestByUuidAndExactlyThoseVisibleDevices() {
        // Created, not started: this machine has no NVIDIA runtime to honour the request.
        String id = runtime.createContainer(engine,
                spec("gpudash-test-gpu-" + run, Map.of(RUN_LABEL, run), List.of("GPU-11111111-2222", "GPU-33333333-4444")));

        InspectContainerResponse inspected = raw.inspectContainerCmd(id).exec();
        DeviceRequest request = inspected.getHostConfig().getDeviceRequests().get(0);
        assertThat(inspected.getHostConfig().getDeviceRequests()).hasSize(1);
        assertThat(request.getDriver()).isEqualTo("nvidia");
        assertThat(request.getDeviceIds()).containsExactly("GPU-11111111-2222", "GPU-33333333-4444");
        assertThat(request.getCapabilities()).containsExactly(List.of("gpu"));
        assertThat(inspected.getConfig().getEnv())
                .filteredOn(variable -> variable.startsWith("NVIDIA_VISIBLE_DEVICES="))
                .containsExactly("NVIDIA_VISIBLE_DEVICES=GPU-11111111-2222,GPU-33333333-4444");
    }

    @Test
    void aSecondContainerWithTheSameNameIsAConflict() {
        ContainerSpec spec = spec("gpudash-test-twice-" + run, Map.of(RUN_LABEL, run), List.of());
        runtime.createContainer(engine, spec);

        assertThatThrownBy(() -> runtime.createContainer(engine, spec))
                .isInstanceOf(RuntimeConflictException.class)
                .satisfies(e -> assertThat(((RuntimeConflictException) e).retriable()).isFalse());
    }

    @Test
    void listsTheTestImageWithItsSize() {
        assertThat(runtime.listImages(engine))
                .filteredOn(image -> image.tags().contains(TestServices.dockerImage()))
                .singleElement()
                .satisfies(image -> {
                    assertThat(image.id()).startsWith("sha256:");
                    assertThat(image.sizeBytes()).isPositive();
                });
        assertThat(runtime.inspectImage(engine, TestServices.dockerImage()).orElseThrow().sizeBytes()).isPositive();
        assertThat(runtime.inspectImage(engine, "gpudash-no-such-image:" + run)).isEmpty();
    }

    @Test
    void buildsAnImageFromADockerfileTextThenRemovesIt() {
        String tag = "gpudash-test-build:" + run;
        imagesToRemove.add(tag);

        String id = runtime.buildImage(engine, "FROM " + TestServices.dockerImage() + "\nRUN echo built > /built.txt\n", tag);

        ImageState built = runtime.inspectImage(engine, tag).orElseThrow();
        assertThat(built.id()).isEqualTo(id);
        assertThat(built.tags()).containsExactly(tag);
        assertThat(runtime.listImages(engine)).anySatisfy(image -> assertThat(image.tags()).contains(tag));

        runtime.removeImage(engine, tag, false);
        assertThat(runtime.inspectImage(engine, tag)).isEmpty();
    }

    @Test
    void aDockerfileThatDoesNotBuildIsAPermanentErrorCarryingTheBuildOutput() {
        String tag = "gpudash-test-broken:" + run;
        imagesToRemove.add(tag);

        assertThatThrownBy(() -> runtime.buildImage(engine, "FROM " + TestServices.dockerImage() + "\nRUN exit 3\n", tag))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageContaining("non-zero code: 3");
        assertThat(runtime.inspectImage(engine, tag)).isEmpty();
        assertThat(raw.listContainersCmd().withShowAll(true).withAncestorFilter(List.of(TestServices.dockerImage())).exec())
                .as("no intermediate container of the failed step is left")
                .noneSatisfy(container -> assertThat(container.getCommand()).contains("exit 3"));
    }

    @Test
    void removingAnImageAContainerUsesIsAConflictUnlessForced() {
        String tag = "gpudash-test-in-use:" + run;
        imagesToRemove.add(tag);
        imagesToRemove.add(runtime.buildImage(engine, "FROM " + TestServices.dockerImage() + "\nLABEL " + RUN_LABEL + "=" + run + "\n", tag));
        ContainerSpec spec = spec("gpudash-test-user-" + run, Map.of(RUN_LABEL, run), List.of());
        runtime.createContainer(engine, new ContainerSpec(tag, spec.name(), spec.labels(), spec.cpus(), spec.memoryBytes(),
                spec.gpuUuids(), spec.workspaceHostPath(), spec.workspaceContainerPath(), spec.servicePort(), spec.publishHostIp()));

        assertThat(runtime.inspectImage(engine, tag).orElseThrow().containers()).isEqualTo(1);
        assertThatThrownBy(() -> runtime.removeImage(engine, tag, false)).isInstanceOf(RuntimeConflictException.class);
        assertThat(runtime.inspectImage(engine, tag)).isPresent();

        runtime.removeImage(engine, tag, true);
        assertThat(runtime.inspectImage(engine, tag)).isEmpty();
    }

    @Test
    void pruneRemovesStoppedUnclaimedContainersAndDanglingImagesOnly() {
        // Narrowed to this run's label, so that other work on the shared engine is left alone.
        Map<String, String> thisRun = Map.of(RUN_LABEL, run);
        String stray = runtime.createContainer(engine, spec("gpudash-test-stray-" + run, thisRun, List.of()));
        String claimed = runtime.createContainer(engine,
                spec("gpudash-test-claimed-" + run, Map.of(RUN_LABEL, run, ASSIGNMENT_LABEL, "a-" + run), List.of()));
        String running = runtime.createContainer(engine, spec("gpudash-test-running-" + run, thisRun, List.of()));
        runtime.startContainer(engine, running);

        String tag = "gpudash-test-prune:" + run;
        imagesToRemove.add(tag);
        String base = "FROM " + TestServices.dockerImage() + "\nLABEL " + RUN_LABEL + "=" + run + "\n";
        String dangling = runtime.buildImage(engine, base + "RUN echo first > /version\n", tag);
        String current = runtime.buildImage(engine, base + "RUN echo second > /version\n", tag);
        assertThat(runtime.inspectImage(engine, dangling).orElseThrow().tags()).isEmpty();

        PruneResult result = runtime.prune(engine, new PruneRequest(true, true, thisRun, Set.of(ASSIGNMENT_LABEL)));

        assertThat(result.containersRemoved()).containsExactly(stray);
        assertThat(result.imagesRemoved()).contains(dangling);
        assertThat(result.bytesReclaimed()).isNotNegative();
        assertThat(runtime.inspectContainer(engine, stray)).isEmpty();
        assertThat(runtime.inspectContainer(engine, claimed)).isPresent();
        assertThat(runtime.inspectContainer(engine, running)).isPresent();
        assertThat(runtime.inspectImage(engine, dangling)).isEmpty();
        assertThat(runtime.inspectImage(engine, current)).isPresent();
    }

    @Test
    void aDeadEndpointIsUnavailableQuickly() {
        long before = System.nanoTime();
        assertThatThrownBy(() -> runtime.listContainers(DockerEndpoint.of("tcp://127.0.0.1:1"), Map.of()))
                .isInstanceOf(RuntimeUnavailableException.class)
                .satisfies(e -> assertThat(((RuntimeUnavailableException) e).retriable()).isTrue());
        assertThatThrownBy(() -> runtime.listImages(DockerEndpoint.of("unix:///nonexistent/docker.sock")))
                .isInstanceOf(RuntimeUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void plainTcpReachesLoopbackOnlyUnlessExplicitlyAllowed() {
        assertThat(runtime.listImages(DockerEndpoint.of("tcp://127.0.0.1:2375"))).isNotEmpty();
        assertThatThrownBy(() -> runtime.listImages(DockerEndpoint.of("tcp://192.0.2.10:2375")))
                .isInstanceOf(InsecureEndpointException.class)
                .hasMessageContaining("refusing plain tcp");
        assertThatThrownBy(() -> runtime.listImages(DockerEndpoint.of("tcp://docker.example.org:2375")))
                .isInstanceOf(InsecureEndpointException.class);
        DockerEndpoint allowed = new DockerEndpoint(URI.create("tcp://127.0.0.2:1"), null, true, null);
        assertThatThrownBy(() -> runtime.listImages(allowed)).isInstanceOf(RuntimeUnavailableException.class);
    }

    @Test
    void aTlsEndpointNeedsItsCertificates(@TempDir Path certificates) {
        DockerEndpoint tls = new DockerEndpoint(URI.create("tcp://192.0.2.10:2376"), certificates, false, null);

        assertThatThrownBy(() -> runtime.listImages(tls))
                .isInstanceOf(InsecureEndpointException.class)
                .hasMessageContaining("ca.pem");
    }

    private ContainerSpec spec(String name, Map<String, String> labels, List<String> gpus) {
        return new ContainerSpec(TestServices.dockerImage(), name, labels, 0.5, 64L * 1024 * 1024, gpus,
                workspace.toString(), "/workspace", 8080, "127.0.0.1");
    }

    /** The container's server needs a moment after the start. */
    private static String get(int port, String path) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        AtomicReference<IOException> last = new AtomicReference<>();
        return Eventually.await(() -> "GET " + path + " on port " + port + " to answer; last: " + last.get(),
                Duration.ofSeconds(10), () -> {
                    try {
                        return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
                    } catch (IOException notYet) {
                        last.set(notYet);
                        return Optional.empty();
                    }
                });
    }
}
