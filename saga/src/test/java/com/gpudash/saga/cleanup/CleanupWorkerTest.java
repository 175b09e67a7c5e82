package com.gpudash.saga.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerSpec;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.SshTarget;
import com.gpudash.agent.docker.DockerContainerRuntime;
import com.gpudash.agent.docker.DockerSettings;
import com.gpudash.api.DomainException;
import com.gpudash.api.cleanup.CleanServer;
import com.gpudash.api.cleanup.FailServerCleanup;
import com.gpudash.api.cleanup.RecordServerCleanupResult;
import com.gpudash.api.operation.MarkOperationRunning;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.saga.container.ContainerLabels;
import com.gpudash.saga.worker.ServerConnections;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cleanup worker against the real Docker Engine, confined to a label of its own run; answers are caught on a
 * command bus of the test's own, and the work runs on the test's thread.
 */
@RequiresServices(Service.DOCKER)
class CleanupWorkerTest {

    private static final String SCOPE = "cleanup.test.worker";
    private static final ServerId SERVER = ServerId.random();

    private final String run = "cleanup-" + UUID.randomUUID().toString().substring(0, 8);
    private final OperationId operation = OperationId.random();
    private final DockerEndpoint engine = DockerEndpoint.of(TestServices.dockerEndpoint());
    private final ContainerRuntime runtime = new DockerContainerRuntime(DockerSettings.defaults());
    private final List<Object> answers = new ArrayList<>();
    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();

    @AfterEach
    void removeWhatThisTestMade() {
        runtime.listContainers(engine, Map.of(SCOPE, run)).forEach(container -> runtime.removeContainer(engine, container.id(), true));
        runtime.close();
    }

    @Test
    void aCleanupReportsWhatItRemovedAndSparesTheAssignedContainers() {
        String stray = container("cleanup-worker-stray-" + run, Map.of(SCOPE, run));
        String managed = container("cleanup-worker-managed-" + run, Map.of(SCOPE, run, ContainerLabels.ASSIGNMENT, "a"));

        worker(engine).handle(new CleanServer(SERVER, operation, false, true, false));

        assertThat(answers).hasSize(2);
        assertThat(answers.get(0)).isEqualTo(new MarkOperationRunning(operation));
        assertThat(answers.get(1)).isInstanceOfSatisfying(RecordServerCleanupResult.class, result -> {
            assertThat(result.operationId()).isEqualTo(operation);
            assertThat(result.dryRun()).isFalse();
            assertThat(result.containers()).containsExactly(stray);
            assertThat(result.images()).isEmpty();
            assertThat(result.bytesReclaimed()).isNotNegative();
        });
        assertThat(runtime.inspectContainer(engine, stray)).isEmpty();
        assertThat(runtime.inspectContainer(engine, managed)).isPresent();
    }

    @Test
    void aDryRunReportsWhatWouldGoAndRemovesNothing() {
        String stray = container("cleanup-worker-dry-" + run, Map.of(SCOPE, run));

        worker(engine).handle(new CleanServer(SERVER, operation, true, true, true));

        assertThat(answers).last().isEqualTo(new RecordServerCleanupResult(SERVER, operation, true, List.of(stray),
                List.of(), 0));
        assertThat(runtime.inspectContainer(engine, stray)).isPresent();
    }

    @Test
    void anEngineThatDoesNotAnswerFailsTheCleanup() {
        worker(DockerEndpoint.of("unix:///nonexistent/" + run + ".sock")).handle(new CleanServer(SERVER, operation, false, true, true));

        assertThat(answers).last().isInstanceOfSatisfying(FailServerCleanup.class, failed -> {
            assertThat(failed.operationId()).isEqualTo(operation);
            assertThat(failed.reason()).startsWith("The server's Docker Engine could not be reached");
        });
    }

    @Test
    void aServerThatIsNoLongerRegisteredFailsTheCleanup() {
        ServerConnections none = new ServerConnections() {
            @Override
            public DockerEndpoint docker(ServerId serverId) {
                throw DomainException.notFound("No server " + serverId);
            }

            @Override
            public Optional<SshTarget> ssh(ServerId serverId) {
                return Optional.empty();
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
        answerEverything();
        new CleanupWorker(runtime, none, new CleanupSettings(Map.of(SCOPE, run)),
                DefaultCommandGateway.builder().commandBus(bus).build(), Runnable::run)
                .handle(new CleanServer(SERVER, operation, false, true, true));

        assertThat(answers).last().isEqualTo(new FailServerCleanup(SERVER, operation, "No server " + SERVER));
    }

    @Test
    void aResultTheServerRefusesIsNotTurnedIntoAFailure() {
        String stray = container("cleanup-worker-late-" + run, Map.of(SCOPE, run));
        bus.subscribe(MarkOperationRunning.class.getName(), message -> answers.add(message.getPayload()));
        bus.subscribe(RecordServerCleanupResult.class.getName(), message -> {
            throw DomainException.conflict("no cleanup in progress");
        });
        bus.subscribe(FailServerCleanup.class.getName(), message -> answers.add(message.getPayload()));

        new CleanupWorker(runtime, servers(engine), new CleanupSettings(Map.of(SCOPE, run)),
                DefaultCommandGateway.builder().commandBus(bus).build(), Runnable::run)
                .handle(new CleanServer(SERVER, operation, false, true, false));

        assertThat(answers).containsExactly(new MarkOperationRunning(operation));
        assertThat(runtime.inspectContainer(engine, stray)).isEmpty();
    }

    private CleanupWorker worker(DockerEndpoint endpoint) {
        answerEverything();
        return new CleanupWorker(runtime, servers(endpoint), new CleanupSettings(Map.of(SCOPE, run)),
                DefaultCommandGateway.builder().commandBus(bus).build(), Runnable::run);
    }

    private void answerEverything() {
        for (Class<?> answer : List.of(MarkOperationRunning.class, RecordServerCleanupResult.class, FailServerCleanup.class)) {
            bus.subscribe(answer.getName(), message -> answers.add(message.getPayload()));
        }
    }

    private static ServerConnections servers(DockerEndpoint endpoint) {
        return new ServerConnections() {
            @Override
            public DockerEndpoint docker(ServerId serverId) {
                return endpoint;
            }

            @Override
            public Optional<SshTarget> ssh(ServerId serverId) {
                return Optional.empty();
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
    }

    private String container(String name, Map<String, String> labels) {
        return runtime.createContainer(engine, new ContainerSpec(TestServices.dockerImage(), name, labels, 0.5, 64L << 20,
                List.of(), "/tmp", "/workspace", 8080, "127.0.0.1"));
    }
}
