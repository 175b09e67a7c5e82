package com.gpudash.command.server;

import java.util.List;

import com.gpudash.api.DomainException;
import com.gpudash.api.server.AddServer;
import com.gpudash.api.server.GpuDevice;
import com.gpudash.api.server.GpuInventoryChanged;
import com.gpudash.api.server.RecordGpuInventory;
import com.gpudash.api.server.RecordServerStatus;
import com.gpudash.api.server.RemoveServer;
import com.gpudash.api.server.ServerAdded;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRemoved;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.server.ServerStatusChanged;
import org.axonframework.eventsourcing.AggregateDeletedException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerTest {

    private static final ServerId ID = ServerId.random();
    private static final ServerConnection CONNECTION =
            new ServerConnection("10.0.0.5", "tcp://10.0.0.5:2376", 22, "gpudash", "ssh-ed25519 AAAAC3Nza test");
    private static final ServerAdded ADDED = new ServerAdded(ID, "gpu-01", CONNECTION, 8);
    private static final GpuDevice H100_0 = new GpuDevice("GPU-aaaa", 0, "NVIDIA H100 80GB HBM3", 85520809984L);
    private static final GpuDevice H100_1 = new GpuDevice("GPU-bbbb", 1, "NVIDIA H100 80GB HBM3", 85520809984L);

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
}
