package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

/** A start or stop failed; the container keeps the status it had. */
public record ContainerOperationFailed(ContainerId containerId, OperationId operationId, String reason) {
}
