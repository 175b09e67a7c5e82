package com.gpudash.api.server;

/**
 * What placement knows about one registered server: read models, so possibly a moment old; the Server aggregate's
 * ledger has the last word when the capacity is reserved.
 *
 * @param freeMemoryBytes from the latest telemetry; 0 when none was collected
 */
public record ServerRoom(ServerId serverId, String name, ServerStatus status, int freeSlots, int freeGpus,
                         long freeMemoryBytes) {
}
