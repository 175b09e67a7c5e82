package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Sent by the saga once compensation is over; {@code reason} is what the user and the admin read. */
public record FailProvisioning(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId,
                               String reason) {
}
