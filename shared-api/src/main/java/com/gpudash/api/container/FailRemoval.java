package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sent by the removal saga when a step of the removal cannot be done: the container goes to FAILED with the
 * reason, keeping its server and GPUs, and a later {@link RemoveContainer} tries the removal again.
 */
public record FailRemoval(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId, String reason) {
}
