package com.gpudash.api.container;

public record DockerContainerStopped(ContainerId containerId, OperationId operationId) {
}
