package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

/** Every provisioning step is done: the container is RUNNING and the operation SUCCEEDED. */
public record ContainerProvisioned(ContainerId containerId, OperationId operationId) {
}
