package com.gpudash.api.operation;

import java.util.Map;

public record OperationSucceeded(OperationId operationId, Map<String, Object> result) {
}
