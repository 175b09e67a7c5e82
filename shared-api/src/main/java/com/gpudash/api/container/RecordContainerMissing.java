package com.gpudash.api.container;

import com.gpudash.api.server.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Reconciliation found no container of this user on its server although it is RUNNING or STOPPED here; refused
 * while an operation is in progress, which may explain it.
 */
public record RecordContainerMissing(@TargetAggregateIdentifier ContainerId containerId, ServerId serverId,
                                     String containerName) {
}
