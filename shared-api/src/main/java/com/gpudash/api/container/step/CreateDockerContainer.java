package com.gpudash.api.container.step;

import java.util.List;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/**
 * Create the container {@code containerName} with exactly {@code gpuUuids} as its GPUs, or find the one that an
 * earlier try created.
 */
public record CreateDockerContainer(ContainerId containerId, OperationId operationId, ServerId serverId,
                                    String username, String containerName, List<String> gpuUuids) {
}
