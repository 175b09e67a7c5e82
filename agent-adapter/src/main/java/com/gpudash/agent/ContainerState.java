package com.gpudash.agent;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A container as the engine describes it. Limits and published ports come from an inspection and are
 * {@code null} / empty in listings, where Docker does not report them.
 *
 * @param status Docker's state word: created, running, paused, restarting, removing, exited or dead
 * @param cpus the CPU limit, or {@code null} when unknown or unlimited
 * @param memoryBytes the memory limit, or {@code null} when unknown or unlimited
 */
public record ContainerState(
        String id,
        String name,
        String image,
        String status,
        Map<String, String> labels,
        Instant createdAt,
        Double cpus,
        Long memoryBytes,
        List<PublishedPort> publishedPorts) {

    public ContainerState {
        labels = Map.copyOf(labels);
        publishedPorts = List.copyOf(publishedPorts);
    }

    public boolean running() {
        return "running".equals(status);
    }

    /** A container port published on the server. */
    public record PublishedPort(int containerPort, String hostIp, int hostPort) {
    }
}
