package com.gpudash.saga.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRoom;
import com.gpudash.api.server.ServerStatus;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static final long GIB = 1L << 30;

    private final ServerId a = ServerId.random();
    private final ServerId b = ServerId.random();
    private final ServerId c = ServerId.random();

    @Test
    void theMostFreeGpusComeFirstThenTheMostFreeMemory() {
        List<ServerRoom> servers = List.of(
                new ServerRoom(a, "a", ServerStatus.ONLINE, 3, 2, 100 * GIB),
                new ServerRoom(b, "b", ServerStatus.ONLINE, 1, 4, 10 * GIB),
                new ServerRoom(c, "c", ServerStatus.ONLINE, 5, 2, 200 * GIB));

        assertThat(Placement.candidates(servers, null, 1)).containsExactly(b, c, a);
    }

    @Test
    void onlyOnlineServersWithASlotAndEnoughGpusAreCandidates() {
        List<ServerRoom> servers = List.of(
                new ServerRoom(a, "a", ServerStatus.OFFLINE, 3, 8, 100 * GIB),
                new ServerRoom(b, "b", ServerStatus.ONLINE, 0, 8, 100 * GIB),
                new ServerRoom(c, "c", ServerStatus.UNKNOWN, 3, 8, 100 * GIB),
                new ServerRoom(ServerId.random(), "d", ServerStatus.ONLINE, 3, 1, 100 * GIB));

        assertThat(Placement.candidates(servers, null, 2)).isEmpty();
    }

    @Test
    void aContainerWithoutGpusFitsOnAServerWithoutGpus() {
        List<ServerRoom> servers = List.of(new ServerRoom(a, "a", ServerStatus.ONLINE, 1, 0, 0));

        assertThat(Placement.candidates(servers, null, 0)).containsExactly(a);
    }

    @Test
    void equalServersComeInTheOrderOfTheirNamesSoARetryTriesTheSameFirst() {
        List<ServerRoom> servers = List.of(
                new ServerRoom(b, "beta", ServerStatus.ONLINE, 1, 2, GIB),
                new ServerRoom(a, "alpha", ServerStatus.ONLINE, 1, 2, GIB));

        assertThat(Placement.candidates(servers, null, 1)).containsExactly(a, b);
    }

    /** The server's ledger decides whether it has room; the read model may be a moment behind. */
    @Test
    void theAdminsServerIsTheOnlyCandidateWhateverTheReadModelSays() {
        List<ServerRoom> servers = List.of(
                new ServerRoom(a, "a", ServerStatus.ONLINE, 3, 8, 100 * GIB),
                new ServerRoom(b, "b", ServerStatus.UNKNOWN, 0, 0, 0));

        assertThat(Placement.candidates(servers, b, 1)).containsExactly(b);
    }
}
