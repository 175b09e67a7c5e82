package com.gpudash.api.container;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordDockerContainerRemoved(@TargetAggregateIdentifier ContainerId containerId,
                                           OperationId operationId) {
}
