package com.gpudash.api.operation;

import java.util.Map;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code result} is the operation's answer as the contract shows it, e.g. {@code {"bytesReclaimed": 1024}}. */
public record CompleteOperation(@TargetAggregateIdentifier OperationId operationId, Map<String, Object> result) {
}
