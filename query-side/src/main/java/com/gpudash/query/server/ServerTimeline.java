package com.gpudash.query.server;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.server.GpuInventoryChanged;
import com.gpudash.api.server.ServerAdded;
import com.gpudash.api.server.ServerCapacityReleased;
import com.gpudash.api.server.ServerCapacityReserved;
import com.gpudash.api.server.ServerRemoved;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.server.ServerStatusChanged;
import com.gpudash.api.server.ServerView;
import com.gpudash.query.web.UtcTime;
import org.axonframework.eventhandling.DomainEventMessage;

/**
 * A server as its events describe it: the same rules as {@link ServerProjection}, applied in memory to a prefix
 * of the server's events, which is how {@code ?asOf=} answers. TimeTravelTest compares its answers with what the
 * read model said at the same instants, so the two cannot drift apart unnoticed.
 */
final class ServerTimeline {

    /** The server at the end of the events, or why there is none. */
    record State(Optional<ServerView> server, Instant removedAt) {
    }

    private ServerTimeline() {
    }

    static State fold(List<DomainEventMessage<?>> events) {
        ServerView server = null;
        Instant removedAt = null;
        Set<ContainerId> reserved = new HashSet<>();
        for (DomainEventMessage<?> message : events) {
            Object event = message.getPayload();
            Instant at = UtcTime.stored(message.getTimestamp());
            if (event instanceof ServerAdded added) {
                server = new ServerView(added.serverId(), added.name(), added.connection().host(),
                        added.connection().dockerEndpoint(), added.connection().sshPort(), added.connection().sshUser(),
                        ServerStatus.UNKNOWN, null, 0, added.maxContainers(), 0, at);
            } else if (server == null) {
                continue;
            } else if (event instanceof ServerStatusChanged changed) {
                server = copy(server, changed.status(), changed.reason(), server.gpuCount(), server.containers());
            } else if (event instanceof GpuInventoryChanged inventory) {
                server = copy(server, server.status(), server.statusReason(), inventory.gpus().size(),
                        server.containers());
            } else if (event instanceof ServerCapacityReserved reservation) {
                reserved.add(reservation.containerId());
                server = copy(server, server.status(), server.statusReason(), server.gpuCount(), reserved.size());
            } else if (event instanceof ServerCapacityReleased release) {
                reserved.remove(release.containerId());
                server = copy(server, server.status(), server.statusReason(), server.gpuCount(), reserved.size());
            } else if (event instanceof ServerRemoved) {
                server = null;
                removedAt = at;
            }
        }
        return new State(Optional.ofNullable(server), removedAt);
    }

    private static ServerView copy(ServerView server, ServerStatus status, String reason, int gpuCount,
                                   int containers) {
        return new ServerView(server.id(), server.name(), server.host(), server.dockerEndpoint(), server.sshPort(),
                server.sshUser(), status, reason, gpuCount, server.maxContainers(), containers, server.createdAt());
    }
}
