package com.gpudash.api.operation;

public record OperationFailed(OperationId operationId, String error) {
}
