package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The create step's answer, with what the container was created with as its engine reports it. */
public record RecordDockerContainerCreated(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId,
                                           String dockerContainerId, String containerName, String image, double cpus,
                                           long memoryBytes) {
}
