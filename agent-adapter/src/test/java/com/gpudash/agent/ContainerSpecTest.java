package com.gpudash.agent;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A spec is the whole of what reaches the engine, so a malformed part is refused before anything is sent. */
class ContainerSpecTest {

    @Test
    void acceptsAUsersContainer() {
        assertThatCode(() -> spec("gpudash-alice", List.of("GPU-4f8a2c1e-0b3d-4e5f-9a7b-112233445566",
                "MIG-GPU-4f8a2c1e-0b3d-4e5f-9a7b-112233445566/1/0"), "/srv/workspaces/alice", "/workspace"))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesWhatWouldChangeTheMeaningOfANameBindOrDeviceList() {
        assertThatThrownBy(() -> spec("-alice", List.of(), "/srv/alice", "/workspace")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec("al/ice", List.of(), "/srv/alice", "/workspace")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec("alice", List.of("GPU-1,GPU-2"), "/srv/alice", "/workspace"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec("alice", List.of("all"), "/srv/alice", "/workspace")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec("alice", List.of(), "/srv/alice:/etc", "/workspace")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec("alice", List.of(), "srv/alice", "/workspace")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec("alice", List.of(), "/srv/alice", "/workspace:ro")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesLimitsAndPortsThatAreNot() {
        assertThatThrownBy(() -> new ContainerSpec("img", "alice", Map.of(), 0, 1, List.of(), "/a", "/b", 8080, "0.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ContainerSpec("img", "alice", Map.of(), 1, 0, List.of(), "/a", "/b", 8080, "0.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ContainerSpec("img", "alice", Map.of(), 1, 1, List.of(), "/a", "/b", 70000, "0.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ContainerSpec spec(String name, List<String> gpus, String hostPath, String containerPath) {
        return new ContainerSpec("gpu-dev-env:latest", name, Map.of("gpudash.user", "alice"), 4, 16L << 30, gpus,
                hostPath, containerPath, 8080, "0.0.0.0");
    }
}
