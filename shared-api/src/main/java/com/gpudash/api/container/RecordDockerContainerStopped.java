package com.gpudash.api.container;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordDockerContainerStopped(@TargetAggregateIdentifier ContainerId containerId,
                                           OperationId operationId) {
}
