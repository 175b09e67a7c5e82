package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

public record DockerContainerStarted(ContainerId containerId, OperationId operationId, int hostPort) {
}
