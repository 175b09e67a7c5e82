package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import java.util.List;

import com.gpudash.api.server.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The placement worker's answer, sent once the server has reserved the GPUs (by UUID). */
public record RecordContainerPlaced(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId,
                                    ServerId serverId, List<String> gpuUuids) {
}
