package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

public record WorkspacePrepared(ContainerId containerId, OperationId operationId) {
}
