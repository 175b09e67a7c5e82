package com.gpudash.api.container;

public record DockerContainerStarted(ContainerId containerId, OperationId operationId, int hostPort) {
}
