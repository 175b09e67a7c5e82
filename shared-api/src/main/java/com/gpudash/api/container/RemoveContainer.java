package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Part of deleting the user: route and container go, the workspace stays on its server. */
public record RemoveContainer(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId) {
}
