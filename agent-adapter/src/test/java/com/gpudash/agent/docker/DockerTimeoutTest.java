package com.gpudash.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.RuntimeUnavailableException;
import org.junit.jupiter.api.Test;

/** An engine that accepts connections but never answers must cost a caller the read timeout, not forever. */
class DockerTimeoutTest {

    @Test
    void aSilentEngineIsUnavailableAfterTheReadTimeout() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            DockerSettings impatient = new DockerSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1), 2);

            try (DockerContainerRuntime runtime = new DockerContainerRuntime(impatient)) {
                long before = System.nanoTime();
                assertThatThrownBy(() -> runtime.listContainers(DockerEndpoint.of("tcp://127.0.0.1:" + silent.getLocalPort()), Map.of()))
                        .isInstanceOf(RuntimeUnavailableException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
