package com.gpudash.saga.container;

import java.util.Comparator;
import java.util.List;

import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRoom;
import com.gpudash.api.server.ServerStatus;

/** The order in which placement tries servers for a container. */
final class Placement {

    private static final Comparator<ServerRoom> ROOMIEST_FIRST = Comparator
            .comparingInt(ServerRoom::freeGpus).reversed()
            .thenComparing(Comparator.comparingLong(ServerRoom::freeMemoryBytes).reversed())
            // A stable order between equals, so that a retried placement tries the same server first.
            .thenComparing(ServerRoom::name);

    private Placement() {
    }

    /**
     * The admin's server alone when one was requested (whatever the read model says: its ledger decides);
     * otherwise the ONLINE servers with a free slot and enough free GPUs, the most free GPUs first, then the most
     * free memory.
     */
    static List<ServerId> candidates(List<ServerRoom> servers, ServerId requested, int gpuCount) {
        if (requested != null) {
            return List.of(requested);
        }
        return servers.stream()
                .filter(server -> server.status() == ServerStatus.ONLINE)
                .filter(server -> server.freeSlots() > 0 && server.freeGpus() >= gpuCount)
                .sorted(ROOMIEST_FIRST)
                .map(ServerRoom::serverId)
                .toList();
    }
}
