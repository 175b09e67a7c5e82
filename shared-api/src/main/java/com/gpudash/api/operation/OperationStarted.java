package com.gpudash.api.operation;

import java.util.Map;

public record OperationStarted(OperationId operationId, OperationType type, Map<String, String> target,
                               String ownerUserId) {
}
