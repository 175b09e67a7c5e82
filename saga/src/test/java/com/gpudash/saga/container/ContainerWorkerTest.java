package com.gpudash.saga.container;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerSpec;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.HostKeyTrust;
import com.gpudash.agent.HostShell;
import com.gpudash.agent.Route;
import com.gpudash.agent.SshTarget;
import com.gpudash.agent.docker.DockerContainerRuntime;
import com.gpudash.agent.docker.DockerSettings;
import com.gpudash.agent.ssh.SshHostShell;
import com.gpudash.agent.ssh.SshSettings;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.KnownContainer;
import com.gpudash.api.container.RecordDockerContainerCreated;
import com.gpudash.api.container.RecordDockerContainerRemoved;
import com.gpudash.api.container.RecordDockerContainerStarted;
import com.gpudash.api.container.RecordDockerContainerStopped;
import com.gpudash.api.container.RecordStepFailed;
import com.gpudash.api.container.RecordWorkspacePrepared;
import com.gpudash.api.container.step.CreateDockerContainer;
import com.gpudash.api.container.step.PrepareWorkspace;
import com.gpudash.api.container.step.RemoveDockerContainer;
import com.gpudash.api.container.step.StartDockerContainer;
import com.gpudash.api.container.step.StopDockerContainer;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRoom;
import com.gpudash.api.user.UserId;
import com.gpudash.saga.worker.ServerConnections;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * The workspace and container workers against the real sshd and Docker Engine of the test services (both on this
 * machine, so the workspace is checked on the local file system). Answers are caught on a command bus of the test's
 * own; the work runs on the test's thread.
 */
@RequiresServices({Service.DOCKER, Service.OPENSSH})
class ContainerWorkerTest {

    private static final ServerId SERVER = ServerId.random();

    @TempDir
    Path root;

    private final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    private final DockerEndpoint docker = new DockerEndpoint(URI.create(TestServices.dockerEndpoint()), null, false, null);
    private final ContainerRuntime runtime = new DockerContainerRuntime(DockerSettings.defaults());
    private final HostShell shell = new SshHostShell(SshSettings.withKey(TestServices.sshPrivateKey()));
    private final String username = "w" + UUID.randomUUID().toString().substring(0, 8);
    private final String containerName = "gpudash-" + username;
    private final ContainerId container = ContainerId.forUser(UserId.random());
    private final List<String> madeHere = new ArrayList<>();
    private ContainerSettings settings;
    private ServerConnections servers;
    private CommandGateway gateway;
    private ContainerWorker worker;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(root.resolve("template/notes"));
        Files.writeString(root.resolve("template/hello.txt"), "hello\n");
        Files.createSymbolicLink(root.resolve("template/outside"), Path.of("/etc/hostname"));
        settings = new ContainerSettings(TestServices.dockerImage(), 0.5, 64L * 1024 * 1024,
                root.resolve("template").toString(), root.resolve("workspaces").toString(), "/workspace", 8080,
                "127.0.0.1", "test-" + UUID.randomUUID(), Duration.ofSeconds(30), Duration.ofSeconds(5));
        String hostKey = Files.readString(TestServices.sshHostKeyFile()).strip();
        servers = new ServerConnections() {
            @Override
            public DockerEndpoint docker(ServerId serverId) {
                return docker;
            }

            @Override
            public Optional<SshTarget> ssh(ServerId serverId) {
                return Optional.of(new SshTarget(TestServices.sshHost(), TestServices.sshPort(), TestServices.sshUser(),
                        new HostKeyTrust.Pinned(hostKey)));
            }

            @Override
            public DockerEndpoint docker(ServerConnection server) {
                throw new UnsupportedOperationException("only telemetry reaches servers by their registration");
            }

            @Override
            public Optional<SshTarget> ssh(String host, int port, String user, String pinnedHostKey) {
                throw new UnsupportedOperationException("only telemetry reaches servers by their registration");
            }
        };
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        for (Class<?> answer : List.of(RecordWorkspacePrepared.class, RecordDockerContainerCreated.class,
                RecordDockerContainerStarted.class, RecordDockerContainerStopped.class,
                RecordDockerContainerRemoved.class, RecordStepFailed.class)) {
            bus.subscribe(answer.getName(), message -> answers.add(message.getPayload()));
        }
        gateway = DefaultCommandGateway.builder().commandBus(bus).build();
        worker = workerWith(settings);
    }

    /** Runs the work on the calling thread; no route is ever published, so none needs repointing. */
    private ContainerWorker workerWith(ContainerSettings containerSettings) {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("hostShell", shell);
        RoutePublisher noRoutes = new RoutePublisher(routes -> false, new NoReadModels());
        return new ContainerWorker(runtime, beans.getBeanProvider(HostShell.class), servers, containerSettings,
                noRoutes, gateway, Runnable::run);
    }

    @AfterEach
    void tearDown() {
        madeHere.add(containerName);
        for (String name : madeHere) {
            runtime.inspectContainer(docker, name).ifPresent(left -> runtime.removeContainer(docker, left.id(), true));
        }
        runtime.close();
        shell.close();
    }

    @Test
    void theWorkspaceIsCopiedWithoutFollowingLinksAndNeverOverwritten() throws Exception {
        worker.handle(new PrepareWorkspace(container, OperationId.random(), SERVER, username));

        assertThat(answer()).isInstanceOf(RecordWorkspacePrepared.class);
        Path workspace = root.resolve("workspaces").resolve(username);
        assertThat(workspace.resolve("hello.txt")).hasContent("hello");
        assertThat(workspace.resolve("notes")).isDirectory();
        assertThat(Files.isSymbolicLink(workspace.resolve("outside"))).as("copied as a link, not read through").isTrue();

        Files.writeString(workspace.resolve("hello.txt"), "the user's own words\n");
        worker.handle(new PrepareWorkspace(container, OperationId.random(), SERVER, username));

        assertThat(answer()).isInstanceOf(RecordWorkspacePrepared.class);
        assertThat(workspace.resolve("hello.txt")).hasContent("the user's own words");
        try (var left = Files.list(root.resolve("workspaces"))) {
            assertThat(left).as("no staging directory is left").containsExactly(workspace);
        }
    }

    /**
     * Under load a try whose answer was late is retried while it still runs: overlapping tries of one provisioning,
     * on a machine kept busy by a CPU burner, all succeed, and leave one complete workspace and no staging behind.
     */
    @Test
    void overlappingTriesOfOneProvisioningOnABusyMachineAllSucceed() throws Exception {
        OperationId provisioning = OperationId.random();
        int tries = 6;
        ExecutorService burners = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        ExecutorService workers = Executors.newFixedThreadPool(tries);
        AtomicBoolean burning = new AtomicBoolean(true);
        try {
            for (int core = 0; core < Runtime.getRuntime().availableProcessors(); core++) {
                burners.submit(() -> {
                    long spin = 0;
                    while (burning.get()) {
                        spin += System.nanoTime() % 7;
                    }
                    return spin;
                });
            }
            CountDownLatch together = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < tries; i++) {
                running.add(workers.submit(() -> {
                    together.await();
                    worker.handle(new PrepareWorkspace(container, provisioning, SERVER, username));
                    return null;
                }));
            }
            together.countDown();
            for (Future<?> one : running) {
                one.get(2, TimeUnit.MINUTES);
            }
        } finally {
            burning.set(false);
            burners.shutdownNow();
            workers.shutdownNow();
        }

        for (int i = 0; i < tries; i++) {
            assertThat(answer()).as("try %d", i).isInstanceOf(RecordWorkspacePrepared.class);
        }
        Path workspace = root.resolve("workspaces").resolve(username);
        assertThat(workspace.resolve("hello.txt")).hasContent("hello");
        try (var left = Files.list(root.resolve("workspaces"))) {
            assertThat(left).as("no staging directory is left").containsExactly(workspace);
        }
    }

    @Test
    void aRetryFindsWhatADeadTryLeftAndCleansItUp() throws Exception {
        OperationId provisioning = OperationId.random();
        Path leftover = root.resolve("workspaces/.gpudash-staging-" + username + "-" + provisioning.value() + "-4242");
        Files.createDirectories(leftover.resolve("notes"));
        Files.writeString(leftover.resolve("half-copied.txt"), "a try that died mid-copy\n");

        worker.handle(new PrepareWorkspace(container, provisioning, SERVER, username));

        assertThat(answer()).isInstanceOf(RecordWorkspacePrepared.class);
        Path workspace = root.resolve("workspaces").resolve(username);
        assertThat(workspace.resolve("hello.txt")).hasContent("hello");
        assertThat(workspace.resolve("half-copied.txt")).doesNotExist();
        try (var left = Files.list(root.resolve("workspaces"))) {
            assertThat(left).as("the dead try's staging is gone").containsExactly(workspace);
        }
    }

    @Test
    void aMissingTemplateIsAPermanentFailureThatNamesIt() throws Exception {
        ContainerWorker withoutTemplate = workerWith(new ContainerSettings(TestServices.dockerImage(), 0.5,
                64L * 1024 * 1024, root.resolve("no-template").toString(), settings.workspaceRoot(), "/workspace",
                8080, "127.0.0.1", settings.installationId(), Duration.ofSeconds(30), Duration.ofSeconds(5)));

        withoutTemplate.handle(new PrepareWorkspace(container, OperationId.random(), SERVER, username));

        RecordStepFailed failed = (RecordStepFailed) answer();
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.reason()).contains("no-template");
        assertThat(root.resolve("workspaces").resolve(username)).doesNotExist();
        try (var left = Files.list(root.resolve("workspaces"))) {
            assertThat(left).as("no staging directory is left").isEmpty();
        }
    }

    @Test
    void aContainerIsCreatedOnceStartedStoppedAndRemoved() throws Exception {
        OperationId provisioning = OperationId.random();
        worker.handle(new PrepareWorkspace(container, provisioning, SERVER, username));
        answer();
        CreateDockerContainer create = new CreateDockerContainer(container, provisioning, SERVER, username,
                containerName, List.of());

        worker.handle(create);
        RecordDockerContainerCreated created = (RecordDockerContainerCreated) answer();
        worker.handle(create);
        RecordDockerContainerCreated again = (RecordDockerContainerCreated) answer();

        assertThat(again.dockerContainerId()).as("the retry finds the first try's container")
                .isEqualTo(created.dockerContainerId());
        assertThat(created.cpus()).isEqualTo(0.5);
        assertThat(created.memoryBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(created.image()).isEqualTo(TestServices.dockerImage());

        worker.handle(new StartDockerContainer(container, provisioning, SERVER, containerName));
        RecordDockerContainerStarted started = (RecordDockerContainerStarted) answer();
        assertThat(fetch(started.hostPort(), "/hello.txt")).as("the workspace is served").isEqualTo("hello\n");

        worker.handle(new StopDockerContainer(container, OperationId.random(), SERVER, containerName));
        assertThat(answer()).isInstanceOf(RecordDockerContainerStopped.class);
        assertThat(runtime.inspectContainer(docker, containerName).orElseThrow().running()).isFalse();

        RemoveDockerContainer remove = new RemoveDockerContainer(container, OperationId.random(), SERVER, containerName);
        worker.handle(remove);
        assertThat(answer()).isInstanceOf(RecordDockerContainerRemoved.class);
        worker.handle(remove);
        assertThat(answer()).as("absent already is success").isInstanceOf(RecordDockerContainerRemoved.class);
        assertThat(runtime.inspectContainer(docker, containerName)).isEmpty();
    }

    @Test
    void aStrangersContainerOfTheSameNameIsNeitherTakenNorRemoved() throws Exception {
        runtime.createContainer(docker, new ContainerSpec(TestServices.dockerImage(), containerName, Map.of(), 0.5,
                64L * 1024 * 1024, List.of(), root.toString(), "/workspace", 8080, "127.0.0.1"));

        worker.handle(new CreateDockerContainer(container, OperationId.random(), SERVER, username, containerName,
                List.of()));
        RecordStepFailed refused = (RecordStepFailed) answer();
        worker.handle(new RemoveDockerContainer(container, OperationId.random(), SERVER, containerName));
        RecordStepFailed leftAlone = (RecordStepFailed) answer();

        assertThat(refused.step()).isEqualTo(ContainerStep.CREATE);
        assertThat(refused.retriable()).isFalse();
        assertThat(refused.reason()).contains("exists on the server and is not this user's");
        assertThat(leftAlone.step()).isEqualTo(ContainerStep.REMOVE);
        assertThat(runtime.inspectContainer(docker, containerName)).isPresent();
    }

    @Test
    void anImageThatIsNotOnTheServerIsAPermanentFailure() throws Exception {
        ContainerWorker withoutItsImage = workerWith(new ContainerSettings("gpudash-test/absent:latest", 0.5,
                64L * 1024 * 1024, settings.workspaceTemplate(), settings.workspaceRoot(), "/workspace", 8080,
                "127.0.0.1", settings.installationId(), Duration.ofSeconds(30), Duration.ofSeconds(5)));

        withoutItsImage.handle(new CreateDockerContainer(container, OperationId.random(), SERVER, username, containerName,
                List.of()));

        RecordStepFailed failed = (RecordStepFailed) answer();
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.reason()).contains("is not on the server");
    }

    private Object answer() throws InterruptedException {
        Object answer = answers.poll(60, TimeUnit.SECONDS);
        assertThat(answer).as("an answer").isNotNull();
        return answer;
    }

    /** busybox httpd needs a moment after the start. */
    private static String fetch(int port, String path) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        AtomicReference<Object> last = new AtomicReference<>();
        return Eventually.await(() -> "GET " + path + " on port " + port + " to answer 200; last: " + last.get(),
                Duration.ofSeconds(10), () -> {
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        last.set(response.statusCode() + " " + response.body());
                        return Optional.of(response).filter(ok -> ok.statusCode() == 200).map(HttpResponse::body);
                    } catch (IOException notYet) {
                        last.set(notYet);
                        return Optional.empty();
                    }
                });
    }
}
