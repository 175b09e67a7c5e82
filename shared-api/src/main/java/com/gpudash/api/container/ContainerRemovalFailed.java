package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

/** The removal gave up; what it could not take down is still there, and its GPUs stay reserved. */
public record ContainerRemovalFailed(ContainerId containerId, OperationId operationId, String reason) {
}
