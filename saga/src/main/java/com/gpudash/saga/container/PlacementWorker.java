package com.gpudash.saga.container;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import com.gpudash.api.DomainException;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.RecordContainerPlaced;
import com.gpudash.api.container.step.PlaceContainer;
import com.gpudash.api.server.CapacityReservation;
import com.gpudash.api.server.ReleaseServerCapacity;
import com.gpudash.api.server.ReserveServerCapacity;
import com.gpudash.api.server.ServerId;
import com.gpudash.saga.worker.AfterCommit;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Chooses a server for a container and reserves its slot and GPUs there. The read models only order the
 * candidates; each server's ledger decides, so two placements racing for the last GPU cannot both get it.
 */
@Component
class PlacementWorker {

    private final ContainerReadModels readModels;
    private final CommandGateway commands;
    private final StepReporter reporter;
    private final Executor executor;

    PlacementWorker(ContainerReadModels readModels, CommandGateway commands,
                    @Qualifier("workerExecutor") Executor executor) {
        this.readModels = readModels;
        this.commands = commands;
        this.reporter = new StepReporter(commands);
        this.executor = executor;
    }

    @CommandHandler
    void handle(PlaceContainer command) {
        AfterCommit.run(executor, () -> reporter.report(command.containerId(), command.operationId(),
                ContainerStep.PLACEMENT, () -> place(command)));
    }

    private Object place(PlaceContainer command) {
        List<ServerId> candidates = Placement.candidates(readModels.serverRooms(), command.requestedServerId(),
                command.gpuCount());
        if (candidates.isEmpty()) {
            throw new StepFailure("no ONLINE server has a free container slot and %d free GPU(s)"
                    .formatted(command.gpuCount()), true);
        }
        List<String> refusals = new ArrayList<>();
        for (ServerId server : candidates) {
            CapacityReservation reservation;
            try {
                reservation = commands.sendAndWait(new ReserveServerCapacity(server, command.containerId(),
                        command.gpuCount()));
            } catch (DomainException refused) {
                refusals.add(refused.getMessage());
                continue;
            } catch (AggregateNotFoundException removed) {
                refusals.add("server " + server + " is not registered");
                continue;
            }
            RecordContainerPlaced placed = new RecordContainerPlaced(command.containerId(), command.operationId(),
                    server, reservation.gpuUuids());
            if (!reporter.send(placed) && reservation.reservedNow()) {
                // Abandoned or placed elsewhere meanwhile: the reservation this try made is nobody's. One it found
                // (a duplicated PlaceContainer, after the placement was recorded or by a newer provisioning) is
                // the container's own and stays.
                commands.sendAndWait(new ReleaseServerCapacity(server, command.containerId()));
            }
            return null;
        }
        // The read model promised room the ledgers did not have; it may be a moment behind, so try again later.
        throw new StepFailure(String.join("; ", refusals), command.requestedServerId() == null);
    }
}
