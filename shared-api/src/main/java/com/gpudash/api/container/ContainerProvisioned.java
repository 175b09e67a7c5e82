package com.gpudash.api.container;

/** Every provisioning step is done: the container is RUNNING and the operation SUCCEEDED. */
public record ContainerProvisioned(ContainerId containerId, OperationId operationId) {
}
