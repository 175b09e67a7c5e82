package com.gpudash.api.container;

public record WorkspacePrepared(ContainerId containerId, OperationId operationId) {
}
