package com.gpudash.saga.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.gpudash.api.DomainException;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.RecordContainerPlaced;
import com.gpudash.api.container.RecordStepFailed;
import com.gpudash.api.container.step.PlaceContainer;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.CapacityReservation;
import com.gpudash.api.server.ReleaseServerCapacity;
import com.gpudash.api.server.ReserveServerCapacity;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRoom;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.user.UserId;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The placement worker against scripted ledgers: the commands it sends, and what it does with their answers. */
class PlacementWorkerTest {

    private static final ContainerId CONTAINER = ContainerId.forUser(UserId.random());
    private static final OperationId OPERATION = OperationId.random();

    private final ServerId full = ServerId.random();
    private final ServerId roomy = ServerId.random();
    private final List<Object> sent = new ArrayList<>();
    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();
    private List<ServerRoom> rooms;
    private boolean placementRefused;
    /** The ledger answers that the container held its reservation already. */
    private boolean alreadyReserved;
    private PlacementWorker worker;

    @BeforeEach
    void setUp() {
        rooms = List.of(new ServerRoom(full, "full", ServerStatus.ONLINE, 1, 4, 0),
                new ServerRoom(roomy, "roomy", ServerStatus.ONLINE, 1, 2, 0));
        bus.subscribe(ReserveServerCapacity.class.getName(), message -> {
            ReserveServerCapacity reserve = (ReserveServerCapacity) message.getPayload();
            sent.add(reserve);
            if (reserve.serverId().equals(full)) {
                throw DomainException.conflict("Server 'full' is full: 1 of 1 containers assigned");
            }
            return new CapacityReservation(List.of("GPU-1"), !alreadyReserved);
        });
        bus.subscribe(RecordContainerPlaced.class.getName(), message -> {
            sent.add(message.getPayload());
            if (placementRefused) {
                throw DomainException.conflict("Provisioning of container was abandoned");
            }
            return null;
        });
        for (Class<?> other : List.of(ReleaseServerCapacity.class, RecordStepFailed.class)) {
            bus.subscribe(other.getName(), message -> sent.add(message.getPayload()));
        }
        worker = new PlacementWorker(new Rooms(), DefaultCommandGateway.builder().commandBus(bus).build(),
                Runnable::run);
    }

    @Test
    void aServerWhoseLedgerRefusesIsPassedOverForTheNext() {
        worker.handle(new PlaceContainer(CONTAINER, OPERATION, null, 1));

        assertThat(sent).containsExactly(
                new ReserveServerCapacity(full, CONTAINER, 1),
                new ReserveServerCapacity(roomy, CONTAINER, 1),
                new RecordContainerPlaced(CONTAINER, OPERATION, roomy, List.of("GPU-1")));
    }

    @Test
    void aReservationNobodyWantsAnyMoreIsGivenBack() {
        placementRefused = true;

        worker.handle(new PlaceContainer(CONTAINER, OPERATION, roomy, 1));

        assertThat(sent).containsExactly(
                new ReserveServerCapacity(roomy, CONTAINER, 1),
                new RecordContainerPlaced(CONTAINER, OPERATION, roomy, List.of("GPU-1")),
                new ReleaseServerCapacity(roomy, CONTAINER));
    }

    /** A duplicated PlaceContainer after the placement was recorded must not take the container's GPUs away. */
    @Test
    void aReservationTheContainerHeldAlreadyIsNeverGivenBack() {
        placementRefused = true;
        alreadyReserved = true;

        worker.handle(new PlaceContainer(CONTAINER, OPERATION, roomy, 1));

        assertThat(sent).containsExactly(
                new ReserveServerCapacity(roomy, CONTAINER, 1),
                new RecordContainerPlaced(CONTAINER, OPERATION, roomy, List.of("GPU-1")));
    }

    @Test
    void withoutRoomAnywhereTheStepFailsForNow() {
        rooms = List.of(new ServerRoom(full, "full", ServerStatus.OFFLINE, 1, 4, 0));

        worker.handle(new PlaceContainer(CONTAINER, OPERATION, null, 1));

        assertThat(sent).containsExactly(new RecordStepFailed(CONTAINER, OPERATION, ContainerStep.PLACEMENT,
                "no ONLINE server has a free container slot and 1 free GPU(s)", true));
    }

    @Test
    void theAdminsServerRefusingIsPermanent() {
        worker.handle(new PlaceContainer(CONTAINER, OPERATION, full, 1));

        assertThat(sent).containsExactly(new ReserveServerCapacity(full, CONTAINER, 1),
                new RecordStepFailed(CONTAINER, OPERATION, ContainerStep.PLACEMENT,
                        "Server 'full' is full: 1 of 1 containers assigned", false));
    }

    @Test
    void anUnknownServerIsNamedInTheReason() {
        ServerId unknown = ServerId.random();
        bus.subscribe(ReserveServerCapacity.class.getName(), message -> {
            throw new AggregateNotFoundException(unknown.value(), "no such server");
        });

        worker.handle(new PlaceContainer(CONTAINER, OPERATION, unknown, 1));

        assertThat(sent).containsExactly(new RecordStepFailed(CONTAINER, OPERATION, ContainerStep.PLACEMENT,
                "server " + unknown + " is not registered", false));
    }

    private final class Rooms extends NoReadModels {

        @Override
        public List<ServerRoom> serverRooms() {
            return rooms;
        }

        @Override
        public String serverHost(ServerId serverId) {
            throw new UnsupportedOperationException("placement needs no host");
        }
    }
}
