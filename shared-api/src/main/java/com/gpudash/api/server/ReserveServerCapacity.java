package com.gpudash.api.server;

import com.gpudash.api.container.ContainerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Takes one container slot and {@code gpuCount} free GPUs of the server for a container. The handler answers a
 * {@link CapacityReservation} with the reserved GPU UUIDs; sent again for a container that holds a reservation of
 * that size, it answers the same UUIDs, not reserved now, and records nothing, so a retried placement is harmless.
 */
public record ReserveServerCapacity(@TargetAggregateIdentifier ServerId serverId, ContainerId containerId,
                                    int gpuCount) {
}
