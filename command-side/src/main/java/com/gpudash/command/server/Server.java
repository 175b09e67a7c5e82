package com.gpudash.command.server;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.gpudash.api.DomainException;
import com.gpudash.api.cleanup.FailServerCleanup;
import com.gpudash.api.cleanup.RecordServerCleanupResult;
import com.gpudash.api.cleanup.RequestServerCleanup;
import com.gpudash.api.cleanup.ServerCleanupCompleted;
import com.gpudash.api.cleanup.ServerCleanupContainerRemoved;
import com.gpudash.api.cleanup.ServerCleanupFailed;
import com.gpudash.api.cleanup.ServerCleanupImageRemoved;
import com.gpudash.api.cleanup.ServerCleanupRequested;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.OrphanContainerFound;
import com.gpudash.api.container.RecordOrphanContainer;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.AddServer;
import com.gpudash.api.server.CapacityReservation;
import com.gpudash.api.server.GpuDevice;
import com.gpudash.api.server.GpuInventoryChanged;
import com.gpudash.api.server.RecordGpuInventory;
import com.gpudash.api.server.RecordServerStatus;
import com.gpudash.api.server.ReleaseServerCapacity;
import com.gpudash.api.server.RemoveServer;
import com.gpudash.api.server.ReserveServerCapacity;
import com.gpudash.api.server.ServerAdded;
import com.gpudash.api.server.ServerCapacityReleased;
import com.gpudash.api.server.ServerCapacityReserved;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRemoved;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.server.ServerStatusChanged;
import com.gpudash.command.AggregateStorage;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A GPU server in the registry. It records only transitions (a status or a GPU inventory that changed), never
 * every poll, so its history stays readable. A removed server is gone: later commands find no aggregate.
 * <p>
 * It also keeps the ledger of its container slots and GPUs. Axon handles one command at a time per aggregate, so
 * two placements racing for the last GPU are decided here: one gets it, the other is refused. For the same reason
 * it allows one cleanup at a time: a second request while one runs is refused.
 */
@Aggregate(snapshotTriggerDefinition = AggregateStorage.SNAPSHOT_TRIGGER, cache = AggregateStorage.SERVER_CACHE)
@Revision("1")
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
class Server {

    static final int MAX_CONTAINERS_LIMIT = 1000;

    @AggregateIdentifier
    private ServerId serverId;
    private String name;
    private ServerStatus status;
    private int maxContainers;
    private List<GpuDevice> gpus;
    /** The containers placed here and the UUIDs of the GPUs each one holds, in the order they were reserved. */
    private final Map<ContainerId, List<String>> assignments = new LinkedHashMap<>();
    /** The cleanup in progress, or null. */
    private OperationId cleanup;

    Server() {
        // Axon rebuilds the aggregate from its events, starting from this constructor.
    }

    @CommandHandler
    Server(AddServer command) {
        if (command.maxContainers() < 1 || command.maxContainers() > MAX_CONTAINERS_LIMIT) {
            throw DomainException.invalid("maxContainers must be from 1 to " + MAX_CONTAINERS_LIMIT
                    + ", got " + command.maxContainers());
        }
        apply(new ServerAdded(command.serverId(), command.name(), command.connection(), command.maxContainers()));
    }

    @CommandHandler
    void handle(RemoveServer command) {
        if (!assignments.isEmpty() && !command.force()) {
            throw DomainException.conflict("Server '" + name + "' has " + assignments.size()
                    + " container(s) assigned; remove them first, or remove the server with force=true");
        }
        if (cleanup != null) {
            // Nothing could record the cleanup's outcome on a removed server: it ends here.
            apply(new ServerCleanupFailed(serverId, cleanup, "Server '" + name + "' was removed during the cleanup"));
        }
        apply(new ServerRemoved(serverId, name, command.force(),
                assignments.keySet().stream().map(ContainerId::value).toList()));
    }

    /** Answers the UUIDs of the GPUs the container holds here, and whether this command reserved them. */
    @CommandHandler
    CapacityReservation handle(ReserveServerCapacity command) {
        if (command.gpuCount() < 0) {
            throw DomainException.invalid("gpuCount must not be negative, got " + command.gpuCount());
        }
        List<String> held = assignments.get(command.containerId());
        if (held != null) {
            if (held.size() != command.gpuCount()) {
                throw DomainException.conflict(("Container %s holds %d GPU(s) on server '%s' already; release them"
                        + " before reserving %d")
                        .formatted(command.containerId(), held.size(), name, command.gpuCount()));
            }
            return new CapacityReservation(held, false);
        }
        if (status == ServerStatus.OFFLINE) {
            throw DomainException.conflict("Server '" + name + "' is OFFLINE; no container can be placed there");
        }
        if (assignments.size() >= maxContainers) {
            throw DomainException.conflict("Server '%s' is full: %d of %d containers assigned"
                    .formatted(name, assignments.size(), maxContainers));
        }
        List<String> free = freeGpuUuids();
        if (free.size() < command.gpuCount()) {
            throw DomainException.conflict("Server '%s' has %d free GPU(s); %d requested"
                    .formatted(name, free.size(), command.gpuCount()));
        }
        List<String> reserved = List.copyOf(free.subList(0, command.gpuCount()));
        apply(new ServerCapacityReserved(serverId, command.containerId(), reserved));
        return new CapacityReservation(reserved, true);
    }

    @CommandHandler
    void handle(ReleaseServerCapacity command) {
        List<String> held = assignments.get(command.containerId());
        if (held != null) {
            apply(new ServerCapacityReleased(serverId, command.containerId(), held));
        }
    }

    @CommandHandler
    void handle(RecordServerStatus command) {
        if (command.status() == status) {
            return;
        }
        String reason = command.status() == ServerStatus.ONLINE ? null : command.reason();
        apply(new ServerStatusChanged(serverId, status, command.status(), reason));
    }

    @CommandHandler
    void handle(RecordGpuInventory command) {
        if (Set.copyOf(command.gpus()).equals(Set.copyOf(gpus))) {
            return;
        }
        apply(new GpuInventoryChanged(serverId, List.copyOf(command.gpus())));
    }

    @CommandHandler
    void handle(RecordOrphanContainer command) {
        apply(new OrphanContainerFound(serverId, command.dockerContainerId(), command.containerName(),
                command.claimedContainerId(), command.removalError() == null, command.removalError()));
    }

    /** Asking again for the cleanup in progress is a no-op, so that a retried request does not fail. */
    @CommandHandler
    void handle(RequestServerCleanup command) {
        if (!command.stoppedContainers() && !command.danglingImages()) {
            throw DomainException.invalid("A cleanup must remove stopped containers, dangling images or both");
        }
        if (command.operationId().equals(cleanup)) {
            return;
        }
        if (cleanup != null) {
            throw DomainException.conflict("Server '" + name + "' is being cleaned up already (operation " + cleanup
                    + "); wait until it ends");
        }
        apply(new ServerCleanupRequested(serverId, command.operationId(), command.dryRun(),
                command.stoppedContainers(), command.danglingImages()));
    }

    /**
     * A result that comes after the cleanup ended (its time limit was reached, say) is refused: the operation has
     * its answer already and never changes it.
     */
    @CommandHandler
    void handle(RecordServerCleanupResult command) {
        if (!command.operationId().equals(cleanup)) {
            throw DomainException.conflict("Server '" + name + "' has no cleanup " + command.operationId()
                    + " in progress; its result comes too late");
        }
        if (!command.dryRun()) {
            command.containers().forEach(container ->
                    apply(new ServerCleanupContainerRemoved(serverId, cleanup, container)));
            command.images().forEach(image -> apply(new ServerCleanupImageRemoved(serverId, cleanup, image)));
        }
        int containersRemoved = command.dryRun() ? 0 : command.containers().size();
        int imagesRemoved = command.dryRun() ? 0 : command.images().size();
        long bytesReclaimed = command.dryRun() ? 0 : command.bytesReclaimed();
        apply(new ServerCleanupCompleted(serverId, cleanup, command.dryRun(), containersRemoved, imagesRemoved,
                bytesReclaimed, command.containers(), command.images()));
    }

    @CommandHandler
    void handle(FailServerCleanup command) {
        if (command.operationId().equals(cleanup)) {
            apply(new ServerCleanupFailed(serverId, cleanup, command.reason()));
        }
    }

    /** By index, so that a container gets neighbouring GPUs when it can. */
    private List<String> freeGpuUuids() {
        Set<String> taken = assignments.values().stream().flatMap(List::stream).collect(Collectors.toSet());
        return gpus.stream()
                .sorted(Comparator.comparingInt(GpuDevice::index))
                .map(GpuDevice::uuid)
                .filter(uuid -> !taken.contains(uuid))
                .toList();
    }

    @EventSourcingHandler
    void on(ServerAdded event) {
        serverId = event.serverId();
        name = event.name();
        status = ServerStatus.UNKNOWN;
        maxContainers = event.maxContainers();
        gpus = List.of();
    }

    @EventSourcingHandler
    void on(ServerStatusChanged event) {
        status = event.status();
    }

    @EventSourcingHandler
    void on(GpuInventoryChanged event) {
        gpus = event.gpus();
    }

    @EventSourcingHandler
    void on(ServerCapacityReserved event) {
        assignments.put(event.containerId(), event.gpuUuids());
    }

    @EventSourcingHandler
    void on(ServerCapacityReleased event) {
        assignments.remove(event.containerId());
    }

    @EventSourcingHandler
    void on(ServerCleanupRequested event) {
        cleanup = event.operationId();
    }

    @EventSourcingHandler
    void on(ServerCleanupCompleted event) {
        cleanup = null;
    }

    @EventSourcingHandler
    void on(ServerCleanupFailed event) {
        cleanup = null;
    }

    @EventSourcingHandler
    void on(ServerRemoved event) {
        markDeleted();
    }
}
