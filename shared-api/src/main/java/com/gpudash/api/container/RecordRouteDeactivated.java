package com.gpudash.api.container;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordRouteDeactivated(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId) {
}
