package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sent when an admin approves a user, or asks again after a FAILED provisioning, possibly naming another server.
 *
 * @param requestedServerId the server the admin chose, or null to let placement choose
 * @param gpuCount how many GPUs the container gets; 0 for none
 */
public record RequestContainer(@TargetAggregateIdentifier ContainerId containerId, UserId userId, String username,
                               ServerId requestedServerId, int gpuCount, OperationId operationId) {
}
