package com.gpudash.api.container;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** By the owner or an admin. A RUNNING container is not started again: the operation succeeds at once. */
public record StartContainer(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId) {
}
