package com.gpudash.api.operation;

import java.time.Instant;
import java.util.Map;

/** The contract's operation: {@code {id, type, status, startedAt, finishedAt, result, error}}. */
public record OperationView(OperationId id, OperationType type, OperationStatus status, Map<String, String> target,
                            Instant startedAt, Instant finishedAt, Map<String, Object> result, String error) {
}
