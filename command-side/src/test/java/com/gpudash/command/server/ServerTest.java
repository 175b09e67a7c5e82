package com.gpudash.command.server;

import java.util.List;

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
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRemoved;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.server.ServerStatusChanged;
import org.axonframework.eventsourcing.AggregateDeletedException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static com.gpudash.command.DomainRefusals.expectConflict;
import static com.gpudash.command.DomainRefusals.withReason;

class ServerTest {

    private static final ServerId ID = ServerId.random();
    private static final ServerConnection CONNECTION =
            new ServerConnection("10.0.0.5", "tcp://10.0.0.5:2376", 22, "gpudash", "ssh-ed25519 AAAAC3Nza test");
    private static final ServerAdded ADDED = new ServerAdded(ID, "gpu-01", CONNECTION, 8);
    private static final GpuDevice H100_0 = new GpuDevice("GPU-aaaa", 0, "NVIDIA H100 80GB HBM3", 85520809984L);
    private static final GpuDevice H100_1 = new GpuDevice("GPU-bbbb", 1, "NVIDIA H100 80GB HBM3", 85520809984L);
    private static final GpuDevice H100_2 = new GpuDevice("GPU-cccc", 2, "NVIDIA H100 80GB HBM3", 85520809984L);
    private static final ContainerId ADA = ContainerId.of("11111111-1111-3111-8111-111111111111");
    private static final ContainerId BOB = ContainerId.of("22222222-2222-3222-8222-222222222222");
    private static final ContainerId CAROL = ContainerId.of("33333333-3333-3333-8333-333333333333");

    private AggregateTestFixture<Server> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Server.class);
    }

    @Test
    void addingAServerStartsItUnknown() {
        fixture.givenNoPriorActivity()
                .when(new AddServer(ID, "gpu-01", CONNECTION, 8))
                .expectSuccessfulHandlerExecution()
                .expectEvents(ADDED);
    }

    @Test
    void maxContainersMustBeSensible() {
        fixture.givenNoPriorActivity()
                .when(new AddServer(ID, "gpu-01", CONNECTION, 0))
                .expectException(DomainException.class)
                .expectExceptionMessage("maxContainers must be from 1 to 1000, got 0")
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new AddServer(ID, "gpu-01", CONNECTION, 1001))
                .expectException(DomainException.class)
                .expectNoEvents();
    }

    @Test
    void onlyStatusTransitionsAreRecorded() {
        fixture.given(ADDED)
                .when(new RecordServerStatus(ID, ServerStatus.ONLINE, null))
                .expectEvents(new ServerStatusChanged(ID, ServerStatus.UNKNOWN, ServerStatus.ONLINE, null));
        fixture.given(ADDED, new ServerStatusChanged(ID, ServerStatus.UNKNOWN, ServerStatus.ONLINE, null))
                .when(new RecordServerStatus(ID, ServerStatus.ONLINE, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(ADDED, new ServerStatusChanged(ID, ServerStatus.UNKNOWN, ServerStatus.ONLINE, null))
                .when(new RecordServerStatus(ID, ServerStatus.OFFLINE, "docker: connection refused"))
                .expectEvents(new ServerStatusChanged(ID, ServerStatus.ONLINE, ServerStatus.OFFLINE,
                        "docker: connection refused"));
        fixture.given(ADDED, new ServerStatusChanged(ID, ServerStatus.UNKNOWN, ServerStatus.OFFLINE, "timeout"))
                .when(new RecordServerStatus(ID, ServerStatus.OFFLINE, "a different reason"))
                .expectNoEvents();
    }

    @Test
    void aServerComingBackOnlineHasNoReason() {
        fixture.given(ADDED, new ServerStatusChanged(ID, ServerStatus.UNKNOWN, ServerStatus.OFFLINE, "timeout"))
                .when(new RecordServerStatus(ID, ServerStatus.ONLINE, "stale text from the poller"))
                .expectEvents(new ServerStatusChanged(ID, ServerStatus.OFFLINE, ServerStatus.ONLINE, null));
    }

    @Test
    void onlyAChangedGpuInventoryIsRecorded() {
        fixture.given(ADDED)
                .when(new RecordGpuInventory(ID, List.of(H100_0, H100_1)))
                .expectEvents(new GpuInventoryChanged(ID, List.of(H100_0, H100_1)));
        fixture.given(ADDED, new GpuInventoryChanged(ID, List.of(H100_0, H100_1)))
                .when(new RecordGpuInventory(ID, List.of(H100_1, H100_0)))
                .expectNoEvents();
        fixture.given(ADDED, new GpuInventoryChanged(ID, List.of(H100_0, H100_1)))
                .when(new RecordGpuInventory(ID, List.of(H100_0)))
                .expectEvents(new GpuInventoryChanged(ID, List.of(H100_0)));
        fixture.given(ADDED)
                .when(new RecordGpuInventory(ID, List.of()))
                .expectNoEvents();
    }

    @Test
    void aServerWithoutContainersIsRemoved() {
        fixture.given(ADDED)
                .when(new RemoveServer(ID, false))
                .expectEvents(new ServerRemoved(ID, "gpu-01", false, List.of()))
                .expectMarkedDeleted();
    }

    @Test
    void aRemovedServerTakesNoMoreCommands() {
        fixture.given(ADDED, new ServerRemoved(ID, "gpu-01", false, List.of()))
                .when(new RecordServerStatus(ID, ServerStatus.ONLINE, null))
                .expectException(AggregateDeletedException.class)
                .expectNoEvents();
        fixture.given(ADDED, new ServerRemoved(ID, "gpu-01", false, List.of()))
                .when(new RemoveServer(ID, true))
                .expectException(AggregateDeletedException.class);
    }

    @Nested
    class CapacityLedger {

        /** An inventory reported out of index order: reservations still go by index. */
        private final GpuInventoryChanged threeGpus = new GpuInventoryChanged(ID, List.of(H100_2, H100_0, H100_1));

        @Test
        void reservesTheFreeGpusWithTheLowestIndexes() {
            fixture.given(ADDED, threeGpus)
                    .when(new ReserveServerCapacity(ID, ADA, 2))
                    .expectSuccessfulHandlerExecution()
                    .expectResultMessagePayload(new CapacityReservation(List.of("GPU-aaaa", "GPU-bbbb"), true))
                    .expectEvents(new ServerCapacityReserved(ID, ADA, List.of("GPU-aaaa", "GPU-bbbb")));
        }

        @Test
        void neverGivesAGpuThatAnotherContainerHolds() {
            fixture.given(ADDED, threeGpus, new ServerCapacityReserved(ID, ADA, List.of("GPU-aaaa", "GPU-cccc")))
                    .when(new ReserveServerCapacity(ID, BOB, 1))
                    .expectResultMessagePayload(new CapacityReservation(List.of("GPU-bbbb"), true))
                    .expectEvents(new ServerCapacityReserved(ID, BOB, List.of("GPU-bbbb")));
        }

        @Test
        void ofTwoContainersRacingForTheLastGpuTheSecondIsRefused() {
            fixture.given(ADDED, threeGpus, new ServerCapacityReserved(ID, ADA, List.of("GPU-aaaa", "GPU-bbbb")))
                    .when(new ReserveServerCapacity(ID, BOB, 1))
                    .expectEvents(new ServerCapacityReserved(ID, BOB, List.of("GPU-cccc")));
            expectConflict(fixture.given(ADDED, threeGpus,
                            new ServerCapacityReserved(ID, ADA, List.of("GPU-aaaa", "GPU-bbbb")),
                            new ServerCapacityReserved(ID, BOB, List.of("GPU-cccc")))
                            .when(new ReserveServerCapacity(ID, CAROL, 1)),
                    "Server 'gpu-01' has 0 free GPU(s); 1 requested");
        }

        @Test
        void refusesMoreGpusThanTheServerHas() {
            expectConflict(fixture.given(ADDED, threeGpus).when(new ReserveServerCapacity(ID, ADA, 4)),
                    "Server 'gpu-01' has 3 free GPU(s); 4 requested");
        }

        @Test
        void aContainerWithoutGpusTakesOnlyASlot() {
            fixture.given(ADDED, threeGpus)
                    .when(new ReserveServerCapacity(ID, ADA, 0))
                    .expectResultMessagePayload(new CapacityReservation(List.of(), true))
                    .expectEvents(new ServerCapacityReserved(ID, ADA, List.of()));
        }

        @Test
        void refusesAContainerBeyondMaxContainers() {
            ServerAdded twoSlots = new ServerAdded(ID, "gpu-01", CONNECTION, 2);
            expectConflict(fixture.given(twoSlots, threeGpus,
                            new ServerCapacityReserved(ID, ADA, List.of()),
                            new ServerCapacityReserved(ID, BOB, List.of()))
                            .when(new ReserveServerCapacity(ID, CAROL, 0)),
                    "Server 'gpu-01' is full: 2 of 2 containers assigned");
        }

        @Test
        void aReleasedSlotCanBeTakenAgain() {
            ServerAdded oneSlot = new ServerAdded(ID, "gpu-01", CONNECTION, 1);
            fixture.given(oneSlot, threeGpus, new ServerCapacityReserved(ID, ADA, List.of("GPU-aaaa")),
                            new ServerCapacityReleased(ID, ADA, List.of("GPU-aaaa")))
                    .when(new ReserveServerCapacity(ID, BOB, 1))
                    .expectEvents(new ServerCapacityReserved(ID, BOB, List.of("GPU-aaaa")));
        }

        @Test
        void reservingAgainAnswersTheSameGpusNotReservedNowAndRecordsNothing() {
            fixture.given(ADDED, threeGpus, new ServerCapacityReserved(ID, ADA, List.of("GPU-bbbb")))
                    .when(new ReserveServerCapacity(ID, ADA, 1))
                    .expectSuccessfulHandlerExecution()
                    .expectResultMessagePayload(new CapacityReservation(List.of("GPU-bbbb"), false))
                    .expectNoEvents();
        }

        @Test
        void reservingAgainWithAnotherGpuCountIsRefused() {
            expectConflict(fixture.given(ADDED, threeGpus, new ServerCapacityReserved(ID, ADA, List.of("GPU-aaaa")))
                            .when(new ReserveServerCapacity(ID, ADA, 2)),
                    "Container " + ADA + " holds 1 GPU(s) on server 'gpu-01' already; release them before reserving 2");
        }

        @Test
        void aNegativeGpuCountIsInvalid() {
            fixture.given(ADDED, threeGpus)
                    .when(new ReserveServerCapacity(ID, ADA, -1))
                    .expectException(withReason(DomainException.Reason.INVALID))
                    .expectExceptionMessage("gpuCount must not be negative, got -1")
                    .expectNoEvents();
        }

        @Test
        void anOfflineServerTakesNoContainer() {
            expectConflict(fixture.given(ADDED, threeGpus,
                            new ServerStatusChanged(ID, ServerStatus.UNKNOWN, ServerStatus.OFFLINE, "timeout"))
                            .when(new ReserveServerCapacity(ID, ADA, 1)),
                    "Server 'gpu-01' is OFFLINE; no container can be placed there");
        }

        @Test
        void anOnlineServerTakesAContainer() {
            fixture.given(ADDED, threeGpus,
                            new ServerStatusChanged(ID, ServerStatus.UNKNOWN, ServerStatus.ONLINE, null))
                    .when(new ReserveServerCapacity(ID, ADA, 1))
                    .expectEvents(new ServerCapacityReserved(ID, ADA, List.of("GPU-aaaa")));
        }

        @Test
        void releasingGivesBackWhatTheContainerHeld() {
            fixture.given(ADDED, threeGpus, new ServerCapacityReserved(ID, ADA, List.of("GPU-aaaa", "GPU-bbbb")))
                    .when(new ReleaseServerCapacity(ID, ADA))
                    .expectEvents(new ServerCapacityReleased(ID, ADA, List.of("GPU-aaaa", "GPU-bbbb")));
        }

        @Test
        void releasingWhatIsNotHeldRecordsNothing() {
            fixture.given(ADDED, threeGpus, new ServerCapacityReserved(ID, ADA, List.of("GPU-aaaa")),
                            new ServerCapacityReleased(ID, ADA, List.of("GPU-aaaa")))
                    .when(new ReleaseServerCapacity(ID, ADA))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aServerWithAssignedContainersIsRemovedOnlyByForce() {
            expectConflict(fixture.given(ADDED, threeGpus, new ServerCapacityReserved(ID, ADA, List.of("GPU-aaaa")))
                            .when(new RemoveServer(ID, false)),
                    "Server 'gpu-01' has 1 container(s) assigned; remove them first, or remove the server with"
                            + " force=true");
            fixture.given(ADDED, threeGpus, new ServerCapacityReserved(ID, ADA, List.of("GPU-aaaa")),
                            new ServerCapacityReserved(ID, BOB, List.of()))
                    .when(new RemoveServer(ID, true))
                    .expectEvents(new ServerRemoved(ID, "gpu-01", true, List.of(ADA.value(), BOB.value())));
        }

        @Test
        void aServerWhoseContainersAreReleasedIsRemovedWithoutForce() {
            fixture.given(ADDED, threeGpus, new ServerCapacityReserved(ID, ADA, List.of("GPU-aaaa")),
                            new ServerCapacityReleased(ID, ADA, List.of("GPU-aaaa")))
                    .when(new RemoveServer(ID, false))
                    .expectEvents(new ServerRemoved(ID, "gpu-01", false, List.of()));
        }
    }

    @Nested
    class Cleanup {

        private final OperationId first = OperationId.random();
        private final OperationId second = OperationId.random();
        private final ServerCleanupRequested requested = new ServerCleanupRequested(ID, first, false, true, true);

        @Test
        void aCleanupIsRequestedWhenNoneRuns() {
            fixture.given(ADDED)
                    .when(new RequestServerCleanup(ID, first, false, true, true))
                    .expectEvents(requested);
        }

        @Test
        void aSecondCleanupWhileOneRunsIsAConflict() {
            expectConflict(fixture.given(ADDED, requested).when(new RequestServerCleanup(ID, second, true, true, false)),
                    "Server 'gpu-01' is being cleaned up already (operation " + first + "); wait until it ends");
        }

        @Test
        void askingAgainForTheCleanupInProgressIsANoOp() {
            fixture.given(ADDED, requested)
                    .when(new RequestServerCleanup(ID, first, false, true, true))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aCleanupThatRemovesNothingIsInvalid() {
            fixture.given(ADDED)
                    .when(new RequestServerCleanup(ID, first, false, false, false))
                    .expectException(withReason(DomainException.Reason.INVALID))
                    .expectExceptionMessage("A cleanup must remove stopped containers, dangling images or both")
                    .expectNoEvents();
        }

        @Test
        void anUnknownServerCannotBeCleanedUp() {
            fixture.given(ADDED, new ServerRemoved(ID, "gpu-01", false, List.of()))
                    .when(new RequestServerCleanup(ID, first, false, true, true))
                    .expectException(AggregateDeletedException.class);
        }

        @Test
        void theResultRecordsEachRemovalThenTheTotals() {
            fixture.given(ADDED, requested)
                    .when(new RecordServerCleanupResult(ID, first, false, List.of("c1", "c2"), List.of("sha256:i1"), 4096))
                    .expectEvents(new ServerCleanupContainerRemoved(ID, first, "c1"),
                            new ServerCleanupContainerRemoved(ID, first, "c2"),
                            new ServerCleanupImageRemoved(ID, first, "sha256:i1"),
                            new ServerCleanupCompleted(ID, first, false, 2, 1, 4096, List.of("c1", "c2"),
                                    List.of("sha256:i1")));
        }

        @Test
        void aDryRunRemovesNothingAndListsWhatWouldGo() {
            ServerCleanupRequested dryRun = new ServerCleanupRequested(ID, first, true, true, true);
            fixture.given(ADDED, dryRun)
                    .when(new RecordServerCleanupResult(ID, first, true, List.of("c1"), List.of("sha256:i1"), 0))
                    .expectEvents(new ServerCleanupCompleted(ID, first, true, 0, 0, 0, List.of("c1"),
                            List.of("sha256:i1")));
        }

        @Test
        void aCompletedCleanupAllowsTheNextOne() {
            fixture.given(ADDED, requested,
                            new ServerCleanupCompleted(ID, first, false, 0, 0, 0, List.of(), List.of()))
                    .when(new RequestServerCleanup(ID, second, false, true, false))
                    .expectEvents(new ServerCleanupRequested(ID, second, false, true, false));
        }

        @Test
        void aFailedCleanupAllowsTheNextOne() {
            fixture.given(ADDED, requested, new ServerCleanupFailed(ID, first, "engine down"))
                    .when(new RequestServerCleanup(ID, second, false, false, true))
                    .expectEvents(new ServerCleanupRequested(ID, second, false, false, true));
        }

        @Test
        void aResultAfterTheCleanupEndedIsRefused() {
            expectConflict(fixture.given(ADDED, requested, new ServerCleanupFailed(ID, first, "time limit"))
                            .when(new RecordServerCleanupResult(ID, first, false, List.of("c1"), List.of(), 10)),
                    "Server 'gpu-01' has no cleanup " + first + " in progress; its result comes too late");
        }

        @Test
        void aResultForAnotherCleanupIsRefused() {
            expectConflict(fixture.given(ADDED, requested)
                            .when(new RecordServerCleanupResult(ID, second, false, List.of(), List.of(), 0)),
                    "Server 'gpu-01' has no cleanup " + second + " in progress; its result comes too late");
        }

        @Test
        void aFailureEndsTheCleanupInProgress() {
            fixture.given(ADDED, requested)
                    .when(new FailServerCleanup(ID, first, "engine down"))
                    .expectEvents(new ServerCleanupFailed(ID, first, "engine down"));
        }

        @Test
        void failingACleanupThatIsOverIsANoOp() {
            fixture.given(ADDED, requested, new ServerCleanupCompleted(ID, first, false, 0, 0, 0, List.of(), List.of()))
                    .when(new FailServerCleanup(ID, first, "time limit"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void removingTheServerFailsTheCleanupInProgress() {
            fixture.given(ADDED, requested)
                    .when(new RemoveServer(ID, false))
                    .expectEvents(new ServerCleanupFailed(ID, first, "Server 'gpu-01' was removed during the cleanup"),
                            new ServerRemoved(ID, "gpu-01", false, List.of()));
        }
    }
}
