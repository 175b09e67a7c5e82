package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** By the owner or an admin. A RUNNING container is not started again: the operation succeeds at once. */
public record StartContainer(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId) {
}
