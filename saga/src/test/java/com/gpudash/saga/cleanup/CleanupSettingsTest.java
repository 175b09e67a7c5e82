package com.gpudash.saga.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class CleanupSettingsTest {

    @Test
    void emptyReachesEverything() {
        assertThat(CleanupSettings.parse("").onlyLabelled()).isEmpty();
        assertThat(CleanupSettings.parse(" , ").onlyLabelled()).isEmpty();
    }

    @Test
    void labelsWithAndWithoutValues() {
        assertThat(CleanupSettings.parse("lab.cleanup=allowed, lab.scratch").onlyLabelled())
                .isEqualTo(Map.of("lab.cleanup", "allowed", "lab.scratch", ""));
    }

    @Test
    void aLabelWithoutAKeyIsRefused() {
        assertThatThrownBy(() -> CleanupSettings.parse("=value"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a key");
    }
}
