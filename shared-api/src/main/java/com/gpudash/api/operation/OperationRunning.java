package com.gpudash.api.operation;

public record OperationRunning(OperationId operationId) {
}
