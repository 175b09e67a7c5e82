package com.gpudash.agent.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import com.gpudash.agent.ContainerSpec;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.RuntimeUnavailableException;
import com.gpudash.agent.docker.DockerContainerRuntime;
import com.gpudash.agent.docker.DockerSettings;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestDockerd;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;

/**
 * A test's own Docker Engine can be killed and started again: the adapter reports it unreachable in between (the
 * failure the provisioning retries) and reaches it again afterwards with the same client, and closing it leaves
 * nothing behind.
 */
@RequiresServices(Service.DOCKERD)
class TestDockerdSmokeTest {

    @Test
    void anEngineOfTheTestsOwnSurvivesAKillAndLeavesNothingBehind() throws Exception {
        Path root;
        String bridge;
        try (TestDockerd engine = TestDockerd.start();
             DockerContainerRuntime runtime = new DockerContainerRuntime(DockerSettings.defaults())) {
            root = Path.of(engine.endpoint().substring("unix://".length())).getParent();
            bridge = engine.bridge();
            assertThat(Path.of("/sys/class/net", bridge)).exists();
            DockerEndpoint docker = DockerEndpoint.of(engine.endpoint());
            engine.loadImage(TestServices.dockerImage());
            String name = "gpudash-dockerd-smoke-" + UUID.randomUUID().toString().substring(0, 8);
            String id = runtime.createContainer(docker, new ContainerSpec(TestServices.dockerImage(), name,
                    Map.of("gpudash.test", "dockerd-smoke"), 0.5, 64L * 1024 * 1024, java.util.List.of(),
                    Files.createDirectories(root.resolve("workspace")).toString(), "/workspace", 8080, "127.0.0.1"));
            runtime.startContainer(docker, id);
            assertThat(runtime.inspectContainer(docker, name).orElseThrow().publishedPorts())
                    .as("the service port is published through the engine's own bridge").isNotEmpty();

            engine.kill();
            assertThat(engine.isRunning()).isFalse();
            assertThatThrownBy(() -> runtime.inspectContainer(docker, name))
                    .isInstanceOf(RuntimeUnavailableException.class);

            engine.restart();
            assertThat(runtime.inspectContainer(docker, name)).as("the container is still known after the restart")
                    .hasValueSatisfying(container -> assertThat(container.id()).isEqualTo(id));
            assertThat(runtime.inspectImage(docker, TestServices.dockerImage())).isPresent();
        }
        assertThat(root).doesNotExist();
        assertThat(Path.of("/sys/class/net", bridge)).doesNotExist();
    }
}
