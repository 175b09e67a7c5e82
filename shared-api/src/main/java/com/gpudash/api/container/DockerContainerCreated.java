package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

public record DockerContainerCreated(ContainerId containerId, OperationId operationId, String dockerContainerId,
                                     String containerName) {
}
