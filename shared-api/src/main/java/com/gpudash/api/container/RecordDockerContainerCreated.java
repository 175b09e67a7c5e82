package com.gpudash.api.container;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordDockerContainerCreated(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId,
                                           String dockerContainerId, String containerName) {
}
