package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

public record DockerContainerStopped(ContainerId containerId, OperationId operationId) {
}
