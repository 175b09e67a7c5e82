package com.gpudash.api.container;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordWorkspacePrepared(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId) {
}
