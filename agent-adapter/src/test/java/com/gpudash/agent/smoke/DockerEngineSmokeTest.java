package com.gpudash.agent.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The harness reaches the real Docker Engine of the test services and can run the local test image. */
@RequiresServices(Service.DOCKER)
class DockerEngineSmokeTest {

    private DockerClient docker;
    private String containerId;

    @BeforeEach
    void connect() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(TestServices.dockerEndpoint())
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        docker = DockerClientImpl.getInstance(config, http);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (containerId != null) {
            try {
                docker.removeContainerCmd(containerId).withForce(true).exec();
            } catch (NotFoundException alreadyGone) {
                // the test removed it itself
            }
        }
        docker.close();
    }

    @Test
    void createsStartsStopsAndRemovesAContainerFromTheTestImage() {
        String name = "gpudash-smoke-" + UUID.randomUUID().toString().substring(0, 8);

        CreateContainerResponse created = docker.createContainerCmd(TestServices.dockerImage())
                .withName(name)
                .withLabels(Map.of("gpudash.test", "smoke"))
                .exec();
        containerId = created.getId();
        docker.startContainerCmd(containerId).exec();
        assertThat(docker.inspectContainerCmd(containerId).exec().getState().getRunning()).isTrue();

        docker.stopContainerCmd(containerId).withTimeout(5).exec();
        assertThat(docker.inspectContainerCmd(containerId).exec().getState().getRunning()).isFalse();

        docker.removeContainerCmd(containerId).exec();
        assertThat(docker.listContainersCmd().withShowAll(true).withNameFilter(java.util.List.of(name)).exec()).isEmpty();
    }
}
