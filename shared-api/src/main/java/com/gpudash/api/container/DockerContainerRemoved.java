package com.gpudash.api.container;

public record DockerContainerRemoved(ContainerId containerId, OperationId operationId, String containerName) {
}
