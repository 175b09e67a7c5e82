package com.gpudash.api.server;

import java.util.List;

/**
 * The answer to {@link ReserveServerCapacity}: the UUIDs of the GPUs the container holds on the server, and whether
 * this very command reserved them. {@code reservedNow} is false when the container held them already (a retried or
 * duplicated placement): that reservation belongs to whoever made it, and only its maker may give it back.
 */
public record CapacityReservation(List<String> gpuUuids, boolean reservedNow) {

    public CapacityReservation {
        gpuUuids = List.copyOf(gpuUuids);
    }
}
