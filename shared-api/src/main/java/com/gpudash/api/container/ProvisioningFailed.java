package com.gpudash.api.container;

public record ProvisioningFailed(ContainerId containerId, OperationId operationId, String reason) {
}
