package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordDockerContainerStopped(@TargetAggregateIdentifier ContainerId containerId,
                                           OperationId operationId) {
}
