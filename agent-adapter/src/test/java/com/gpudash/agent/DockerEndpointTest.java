package com.gpudash.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DockerEndpointTest {

    @Test
    void isAUnixSocketOrATcpHostAndPort() {
        assertThat(DockerEndpoint.of("unix:///var/run/docker.sock").usesTls()).isFalse();
        assertThat(new DockerEndpoint(URI.create("tcp://gpu1.lab:2376"), Path.of("/etc/gpudash/docker/gpu1"), false).usesTls())
                .isTrue();
        assertThatThrownBy(() -> DockerEndpoint.of("http://gpu1.lab:2375")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DockerEndpoint.of("tcp://gpu1.lab")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DockerEndpoint.of("unix://")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DockerEndpoint(URI.create("unix:///var/run/docker.sock"), Path.of("/certs"), false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
