package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The saga gives up (permanent failure, retries exhausted, or the provisioning timeout). From now on the aggregate
 * refuses late successes, so a step answered after this can no longer turn the provisioning into a success while
 * its compensation runs.
 */
public record AbandonProvisioning(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId,
                                  String reason) {
}
