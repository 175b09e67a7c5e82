package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

/** A start of a RUNNING container: nothing to do, and the operation succeeded. */
public record ContainerAlreadyRunning(ContainerId containerId, OperationId operationId) {
}
