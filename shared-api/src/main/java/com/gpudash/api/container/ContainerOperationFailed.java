package com.gpudash.api.container;

/** A start or stop failed; the container keeps the status it had. */
public record ContainerOperationFailed(ContainerId containerId, OperationId operationId, String reason) {
}
