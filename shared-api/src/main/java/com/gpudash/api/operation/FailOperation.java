package com.gpudash.api.operation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code error} is said so that a person understands it; it never holds a stack trace. */
public record FailOperation(@TargetAggregateIdentifier OperationId operationId, String error) {
}
