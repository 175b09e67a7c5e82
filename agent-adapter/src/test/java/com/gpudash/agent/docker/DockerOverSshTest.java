package com.gpudash.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import com.gpudash.agent.ContainerRuntimeException;
import com.gpudash.agent.ContainerSpec;
import com.gpudash.agent.ContainerState;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.HostKeyMismatchException;
import com.gpudash.agent.HostKeyTrust;
import com.gpudash.agent.ImageState;
import com.gpudash.agent.PruneRequest;
import com.gpudash.agent.PruneResult;
import com.gpudash.agent.RuntimeNotFoundException;
import com.gpudash.agent.RuntimeUnavailableException;
import com.gpudash.agent.ssh.SshHostShell;
import com.gpudash.agent.ssh.SshSettings;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker adapter through {@code ssh://} endpoints: the real sshd of the test services runs
 * {@code docker system dial-stdio}, which reaches the test engine. Everything made here is labelled and removed.
 */
@RequiresServices({Service.OPENSSH, Service.DOCKER})
class DockerOverSshTest {

    private static final String RUN_LABEL = "gpudash.test.run";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> imagesToRemove = new ArrayList<>();
    private SshHostShell ssh;
    private DockerContainerRuntime runtime;
    private DockerEndpoint engine;

    @TempDir
    Path workspace;

    @BeforeEach
    void connect() throws IOException {
        SshSettings defaults = SshSettings.withKey(TestServices.sshPrivateKey());
        ssh = new SshHostShell(new SshSettings(defaults.privateKey(), CONNECT_TIMEOUT, defaults.maxOutputBytes(),
                defaults.maxCommandsPerHost()));
        runtime = new DockerContainerRuntime(DockerSettings.defaults(), ssh);
        engine = DockerEndpoint.overSsh(sshUri(TestServices.sshPort()),
                new HostKeyTrust.Pinned(Files.readString(TestServices.sshHostKeyFile())));
    }

    @AfterEach
    void removeWhatThisTestMade() {
        try {
            for (ContainerState container : runtime.listContainers(engine, Map.of(RUN_LABEL, run))) {
                runtime.removeContainer(engine, container.id(), true);
            }
            for (String image : imagesToRemove) {
                if (runtime.inspectImage(engine, image).isPresent()) {
                    runtime.removeImage(engine, image, true);
                }
            }
        } finally {
            runtime.close();
            ssh.close();
        }
    }

    @Test
    void createsStartsInspectsStopsAndRemovesAContainer() throws Exception {
        Files.writeString(workspace.resolve("index.html"), "over ssh " + run);
        ContainerSpec spec = spec("gpudash-test-ssh-" + run);

        String id = runtime.createContainer(engine, spec);
        ContainerState created = runtime.inspectContainer(engine, spec.name()).orElseThrow();
        assertThat(created.id()).isEqualTo(id);
        assertThat(created.status()).isEqualTo("created");
        assertThat(created.memoryBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(created.labels()).containsEntry(RUN_LABEL, run);

        runtime.startContainer(engine, id);
        runtime.startContainer(engine, id);
        ContainerState running = runtime.inspectContainer(engine, id).orElseThrow();
        assertThat(running.running()).isTrue();
        assertThat(get(running.publishedPorts().get(0).hostPort())).isEqualTo("over ssh " + run);
        assertThat(runtime.listContainers(engine, Map.of(RUN_LABEL, run)))
                .singleElement().satisfies(listed -> assertThat(listed.name()).isEqualTo(spec.name()));

        runtime.stopContainer(engine, id, Duration.ofSeconds(20));
        runtime.stopContainer(engine, id, Duration.ofSeconds(20));
        assertThat(runtime.inspectContainer(engine, id).orElseThrow().status()).isEqualTo("exited");

        runtime.removeContainer(engine, id, false);
        assertThat(runtime.inspectContainer(engine, id)).isEmpty();
        assertThatThrownBy(() -> runtime.removeContainer(engine, id, false)).isInstanceOf(RuntimeNotFoundException.class);
    }

    @Test
    void listsInspectsBuildsAndRemovesImages() {
        assertThat(runtime.listImages(engine)).anySatisfy(image -> assertThat(image.tags()).contains(TestServices.dockerImage()));
        assertThat(runtime.inspectImage(engine, TestServices.dockerImage()).orElseThrow().sizeBytes()).isPositive();
        assertThat(runtime.inspectImage(engine, "gpudash-no-such-image:" + run)).isEmpty();

        String tag = "gpudash-test-ssh-build:" + run;
        imagesToRemove.add(tag);
        String id = runtime.buildImage(engine, "FROM " + TestServices.dockerImage() + "\nLABEL " + RUN_LABEL + "=" + run
                + "\nRUN echo built > /built.txt\n", tag);
        ImageState built = runtime.inspectImage(engine, tag).orElseThrow();
        assertThat(built.id()).isEqualTo(id);
        assertThat(built.tags()).containsExactly(tag);

        String broken = "gpudash-test-ssh-broken:" + run;
        imagesToRemove.add(broken);
        assertThatThrownBy(() -> runtime.buildImage(engine, "FROM " + TestServices.dockerImage() + "\nRUN exit 3\n", broken))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageContaining("non-zero code: 3");

        runtime.removeImage(engine, tag, false);
        assertThat(runtime.inspectImage(engine, tag)).isEmpty();
    }

    @Test
    void previewsAndPrunesStoppedContainers() {
        Map<String, String> thisRun = Map.of(RUN_LABEL, run);
        String stray = runtime.createContainer(engine, spec("gpudash-test-ssh-stray-" + run));
        String running = runtime.createContainer(engine, spec("gpudash-test-ssh-running-" + run));
        runtime.startContainer(engine, running);
        PruneRequest request = new PruneRequest(true, false, thisRun, Set.of());

        assertThat(runtime.previewPrune(engine, request).containersRemoved()).containsExactly(stray);
        PruneResult pruned = runtime.prune(engine, request);

        assertThat(pruned.containersRemoved()).containsExactly(stray);
        assertThat(runtime.inspectContainer(engine, stray)).isEmpty();
        assertThat(runtime.inspectContainer(engine, running)).isPresent();
    }

    @Test
    void anotherHostKeyIsAPermanentMismatchFoundAtOnce() throws Exception {
        KeyPair stranger = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        DockerEndpoint impostor = DockerEndpoint.overSsh(sshUri(TestServices.sshPort()),
                new HostKeyTrust.Pinned(PublicKeyEntry.toString(stranger.getPublic())));

        // Patient enough that a mismatch taken for a network failure would show as a wait for the timeout.
        SshSettings patience = SshSettings.withKey(TestServices.sshPrivateKey());
        SshHostShell patient = new SshHostShell(patience);
        DockerContainerRuntime patientRuntime = new DockerContainerRuntime(DockerSettings.defaults(), patient);

        long before = System.nanoTime();
        assertThatThrownBy(() -> patientRuntime.listContainers(impostor, Map.of()))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
                    assertThat(e).isNotInstanceOf(RuntimeUnavailableException.class);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getCause()).isInstanceOfSatisfying(HostKeyMismatchException.class, mismatch ->
                            assertThat(mismatch.trustedFingerprints())
                                    .containsExactly(KeyUtils.getFingerPrint(stranger.getPublic())));
                })
                .hasMessageContaining("host key mismatch");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(patience.connectTimeout());
        patientRuntime.close();
        patient.close();
    }

    @Test
    void aDeadPortAndAnSshdThatSaysNothingAreUnavailableWithinTheConnectTimeout() throws Exception {
        HostKeyTrust trust = engine.sshHostKeys();
        long before = System.nanoTime();
        assertThatThrownBy(() -> runtime.listImages(DockerEndpoint.overSsh(sshUri(1), trust)))
                .isInstanceOfSatisfying(RuntimeUnavailableException.class, e -> assertThat(e.retriable()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(CONNECT_TIMEOUT);

        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            before = System.nanoTime();
            assertThatThrownBy(() -> runtime.listImages(DockerEndpoint.overSsh(sshUri(silent.getLocalPort()), trust)))
                    .isInstanceOfSatisfying(RuntimeUnavailableException.class, e -> assertThat(e.retriable()).isTrue());
            // Connecting and the key exchange each wait at most the connect timeout.
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(CONNECT_TIMEOUT.multipliedBy(2).plusSeconds(1));
            assertThat(accepted).as("the silent sshd was reached").isNotEmpty();
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    private static String sshUri(int port) {
        return "ssh://" + TestServices.sshUser() + "@" + TestServices.sshHost() + ":" + port;
    }

    private ContainerSpec spec(String name) {
        return new ContainerSpec(TestServices.dockerImage(), name, Map.of(RUN_LABEL, run), 0.5, 64L * 1024 * 1024,
                List.of(), workspace.toString(), "/workspace", 8080, "127.0.0.1");
    }

    /** The container's server needs a moment after the start. */
    private static String get(int port) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html")).build();
        AtomicReference<IOException> last = new AtomicReference<>();
        return Eventually.await(() -> "the container on port " + port + " to answer; last: " + last.get(),
                Duration.ofSeconds(10), () -> {
                    try {
                        return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
                    } catch (IOException notYet) {
                        last.set(notYet);
                        return Optional.empty();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.empty();
                    }
                });
    }
}
