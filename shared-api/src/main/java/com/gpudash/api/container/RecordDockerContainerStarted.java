package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** @param hostPort the port on the server that publishes the container's service port */
public record RecordDockerContainerStarted(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId,
                                           int hostPort) {
}
