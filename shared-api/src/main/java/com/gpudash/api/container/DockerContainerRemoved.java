package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

public record DockerContainerRemoved(ContainerId containerId, OperationId operationId, String containerName) {
}
