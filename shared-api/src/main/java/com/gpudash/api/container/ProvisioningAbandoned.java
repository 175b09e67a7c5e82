package com.gpudash.api.container;

public record ProvisioningAbandoned(ContainerId containerId, OperationId operationId, String reason) {
}
