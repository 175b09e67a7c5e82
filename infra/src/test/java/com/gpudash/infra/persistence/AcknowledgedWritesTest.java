package com.gpudash.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.junit.jupiter.api.Test;

/** When a projection's token says that it has applied the event at a position. */
class AcknowledgedWritesTest {

    @Test
    void aTokenAtOrPastThePositionHasAppliedIt() {
        assertThat(AcknowledgedWrites.applied(GapAwareTrackingToken.newInstance(10, Set.of()), 10)).isTrue();
        assertThat(AcknowledgedWrites.applied(GapAwareTrackingToken.newInstance(12, Set.of()), 10)).isTrue();
        assertThat(AcknowledgedWrites.applied(GapAwareTrackingToken.newInstance(9, Set.of()), 10)).isFalse();
        assertThat(AcknowledgedWrites.applied(null, 10)).isFalse();
    }

    @Test
    void aPositionTheTokenListsAsAGapIsNotAppliedYet() {
        assertThat(AcknowledgedWrites.applied(GapAwareTrackingToken.newInstance(12, Set.of(10L)), 10)).isFalse();
    }

    @Test
    void gapsOfOtherTransactionsDoNotHoldAPositionBack() {
        // 7 may be an id a rolled-back insert took: it never fills, and nobody waits for it.
        assertThat(AcknowledgedWrites.applied(GapAwareTrackingToken.newInstance(12, Set.of(7L, 11L)), 10)).isTrue();
    }
}
