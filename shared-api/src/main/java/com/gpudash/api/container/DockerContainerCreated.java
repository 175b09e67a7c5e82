package com.gpudash.api.container;

public record DockerContainerCreated(ContainerId containerId, OperationId operationId, String dockerContainerId,
                                     String containerName) {
}
