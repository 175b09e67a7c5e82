package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

/** A stop of a STOPPED container: nothing to do, and the operation succeeded. */
public record ContainerAlreadyStopped(ContainerId containerId, OperationId operationId) {
}
