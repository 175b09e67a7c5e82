package com.gpudash.api.container;

import com.gpudash.api.server.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Reconciliation found a container labelled as this installation's that no user's container accounts for (left by
 * a provisioning that crashed, or by a removal that was never finished), and tried to remove it.
 *
 * @param claimedContainerId the container id its label names; null when it has none
 * @param removalError why it could not be removed; null when it was
 */
public record RecordOrphanContainer(@TargetAggregateIdentifier ServerId serverId, String dockerContainerId,
                                    String containerName, String claimedContainerId, String removalError) {
}
