package com.gpudash.api.cleanup;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An admin's request to remove a server's stopped containers that no assignment owns and its dangling images.
 *
 * @param dryRun only find out what would go; nothing is removed
 */
public record RequestServerCleanup(@TargetAggregateIdentifier ServerId serverId, OperationId operationId,
                                   boolean dryRun, boolean stoppedContainers, boolean danglingImages) {
}
