package com.gpudash.query.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;

/**
 * A rebuild's reset token keeps the position it was reset at and where it starts, and drops the gaps it was reset
 * with, which Axon would otherwise merge with every event's token for the whole rebuild.
 */
class GapsAtResetTest {

    private static final GapAwareTrackingToken AT_RESET =
            GapAwareTrackingToken.newInstance(53_128, new TreeSet<>(List.of(43_922L, 43_923L, 52_000L)));

    @Test
    void aResetTokenKeepsItsPositionsAndLosesItsGaps() {
        ReplayToken reset = (ReplayToken) ReplayToken.createReplayToken(AT_RESET, null, "context");

        TrackingToken positionsOnly = ProjectionReplay.withoutGapsAtReset(reset);

        assertThat(positionsOnly).isInstanceOfSatisfying(ReplayToken.class, token -> {
            assertThat(token.getTokenAtReset()).isEqualTo(GapAwareTrackingToken.newInstance(53_128, new TreeSet<>()));
            assertThat(token.getCurrentToken()).isNull();
            assertThat(token.context()).isEqualTo("context");
        });
    }

    @Test
    void aResetTokenPartWayKeepsWhereItIs() {
        GapAwareTrackingToken partWay = GapAwareTrackingToken.newInstance(10_000, new TreeSet<>(List.of(9_990L)));
        ReplayToken reset = (ReplayToken) ReplayToken.createReplayToken(AT_RESET, partWay);

        ReplayToken positionsOnly = (ReplayToken) ProjectionReplay.withoutGapsAtReset(reset);

        assertThat(positionsOnly.getCurrentToken()).isEqualTo(partWay);
        assertThat(positionsOnly.getTokenAtReset().position()).hasValue(53_128);
        assertThat(ReplayToken.isReplay(positionsOnly)).isTrue();
    }

    @Test
    void otherTokensAreLeftAsTheyAre() {
        ReplayToken withoutGaps = (ReplayToken) ReplayToken.createReplayToken(
                GapAwareTrackingToken.newInstance(7, new TreeSet<>()), null);
        GlobalSequenceTrackingToken global = new GlobalSequenceTrackingToken(7);

        assertThat(ProjectionReplay.withoutGapsAtReset(AT_RESET)).isSameAs(AT_RESET);
        assertThat(ProjectionReplay.withoutGapsAtReset(withoutGaps)).isSameAs(withoutGaps);
        assertThat(ProjectionReplay.withoutGapsAtReset(global)).isSameAs(global);
        assertThat(ProjectionReplay.withoutGapsAtReset(null)).isNull();
    }
}
