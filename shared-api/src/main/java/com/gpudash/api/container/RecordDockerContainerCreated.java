package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordDockerContainerCreated(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId,
                                           String dockerContainerId, String containerName) {
}
