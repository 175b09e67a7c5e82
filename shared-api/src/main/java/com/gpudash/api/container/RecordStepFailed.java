package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A worker's answer that its step failed.
 *
 * @param reason what went wrong, in words an admin understands (no stack trace, no secret)
 * @param retriable whether trying again may help (a server that is unreachable) or not (an image that does not
 *                  exist, a port refused by the configuration)
 */
public record RecordStepFailed(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId,
                               ContainerStep step, String reason, boolean retriable) {
}
