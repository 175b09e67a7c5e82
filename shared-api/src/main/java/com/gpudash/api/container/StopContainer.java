package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** By the owner or an admin. A STOPPED container is not stopped again: the operation succeeds at once. */
public record StopContainer(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId) {
}
