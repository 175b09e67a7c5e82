package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

/**
 * The container exists on its server, created with {@code image}, a limit of {@code cpus} CPUs and
 * {@code memoryBytes} of memory.
 */
public record DockerContainerCreated(ContainerId containerId, OperationId operationId, String dockerContainerId,
                                     String containerName, String image, double cpus, long memoryBytes) {
}
