package com.gpudash.agent;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a container is created with; nothing else reaches the Docker API, so no extra environment, mounts,
 * devices, capabilities or privileges can come from a request (any of them could reach GPUs or host resources
 * beyond those assigned).
 *
 * @param cpus CPU limit in CPUs (Docker's NanoCpus / 1e9)
 * @param gpuUuids the GPUs the container may see, by UUID; empty for none
 * @param workspaceHostPath the directory on the server bind-mounted at {@code workspaceContainerPath}
 * @param servicePort the port inside the container that is published on the server
 * @param publishHostIp the server address the published port binds to; Docker chooses the host port
 */
public record ContainerSpec(
        String image,
        String name,
        Map<String, String> labels,
        double cpus,
        long memoryBytes,
        List<String> gpuUuids,
        String workspaceHostPath,
        String workspaceContainerPath,
        int servicePort,
        String publishHostIp) {

    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    private static final Pattern GPU_UUID = Pattern.compile("(GPU|MIG)-[0-9A-Za-z/-]{1,100}");
    // A bind is sent as "host:container:rw", so a colon or comma in a path would change its meaning.
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("/[^:,\\x00-\\x1f]*");

    public ContainerSpec {
        Objects.requireNonNull(image, "image");
        labels = Map.copyOf(labels);
        gpuUuids = List.copyOf(gpuUuids);
        require(!image.isBlank(), "an image is required");
        require(CONTAINER_NAME.matcher(name).matches(), "not a valid container name: " + name);
        require(cpus > 0, "cpus must be positive: " + cpus);
        require(memoryBytes > 0, "memoryBytes must be positive: " + memoryBytes);
        for (String uuid : gpuUuids) {
            require(GPU_UUID.matcher(uuid).matches(), "not a GPU UUID: " + uuid);
        }
        require(ABSOLUTE_PATH.matcher(workspaceHostPath).matches(), "not an absolute path: " + workspaceHostPath);
        require(ABSOLUTE_PATH.matcher(workspaceContainerPath).matches(), "not an absolute path: " + workspaceContainerPath);
        require(servicePort >= 1 && servicePort <= 65535, "not a port: " + servicePort);
        require(!publishHostIp.isBlank(), "a host IP to publish on is required");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
