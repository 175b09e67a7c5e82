package com.gpudash.command.server;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.gpudash.api.DomainException;
import com.gpudash.api.server.AddServer;
import com.gpudash.api.server.GpuDevice;
import com.gpudash.api.server.GpuInventoryChanged;
import com.gpudash.api.server.RecordGpuInventory;
import com.gpudash.api.server.RecordServerStatus;
import com.gpudash.api.server.RemoveServer;
import com.gpudash.api.server.ServerAdded;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRemoved;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.server.ServerStatusChanged;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A GPU server in the registry. It records only transitions (a status or a GPU inventory that changed), never
 * every poll, so its history stays readable. A removed server is gone: later commands find no aggregate.
 */
@Aggregate
class Server {

    static final int MAX_CONTAINERS_LIMIT = 1000;

    @AggregateIdentifier
    private ServerId serverId;
    private String name;
    private ServerStatus status;
    private List<GpuDevice> gpus;
    /** Container assignments placed here; the provisioning work adds to it. */
    private final Set<String> assignments = new LinkedHashSet<>();

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
        apply(new ServerRemoved(serverId, name, command.force(), List.copyOf(assignments)));
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

    @EventSourcingHandler
    void on(ServerAdded event) {
        serverId = event.serverId();
        name = event.name();
        status = ServerStatus.UNKNOWN;
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
    void on(ServerRemoved event) {
        markDeleted();
    }
}
