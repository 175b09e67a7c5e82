package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

/**
 * A user's start of a STOPPED container is done: it is RUNNING again, its service published on {@code hostPort}
 * (Docker may choose another port than before). The start step of a provisioning is {@link DockerContainerStarted}.
 */
public record ContainerStarted(ContainerId containerId, OperationId operationId, int hostPort) {
}
