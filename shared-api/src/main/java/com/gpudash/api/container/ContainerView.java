package com.gpudash.api.container;

import java.time.Instant;
import java.util.List;

import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;

/**
 * The contract's container object. {@code gpus} are the UUIDs of the GPUs it holds; {@code url} is where the user
 * opens it, null until it is routed; {@code failureReason} says why it FAILED.
 */
public record ContainerView(ContainerId id, UserId userId, String username, ServerId serverId, String serverName,
                            String containerId, String containerName, String image, ContainerStatus status,
                            List<String> gpus, Double cpus, Long memoryBytes, String routePath, String url,
                            String failureReason, Instant updatedAt) {
}
