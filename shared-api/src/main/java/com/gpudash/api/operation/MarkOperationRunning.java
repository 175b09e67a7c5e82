package com.gpudash.api.operation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record MarkOperationRunning(@TargetAggregateIdentifier OperationId operationId) {
}
