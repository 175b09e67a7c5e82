package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

public record ProvisioningFailed(ContainerId containerId, OperationId operationId, String reason) {
}
