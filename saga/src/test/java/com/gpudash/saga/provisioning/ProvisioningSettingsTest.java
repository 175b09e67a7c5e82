package com.gpudash.saga.provisioning;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.user.UserId;
import org.junit.jupiter.api.Test;

class ProvisioningSettingsTest {

    private static final ProvisioningSettings SETTINGS =
            new ProvisioningSettings(ofSeconds(120), ofSeconds(30), ofSeconds(1), ofSeconds(20), 6);
    private static final ContainerId CONTAINER =
            ContainerId.forUser(UserId.of("6a1c2f0e-3b4d-4c5e-8f70-9a8b7c6d5e4f"));

    @Test
    void theDelayDoublesWithinHalfOfItsExponentialValue() {
        long exponentialMillis = 1000;
        for (int attempt = 1; attempt <= 5; attempt++) {
            Duration delay = SETTINGS.retryDelay(CONTAINER, ContainerStep.CREATE, attempt);
            assertThat(delay).as("attempt %d", attempt)
                    .isBetween(ofMillis(exponentialMillis / 2), ofMillis(exponentialMillis));
            exponentialMillis *= 2;
        }
    }

    @Test
    void theDelayStopsGrowingAtTheCap() {
        for (int attempt : new int[]{6, 10, 100, Integer.MAX_VALUE}) {
            assertThat(SETTINGS.retryDelay(CONTAINER, ContainerStep.CREATE, attempt)).as("attempt %d", attempt)
                    .isBetween(ofSeconds(10), ofSeconds(20));
        }
    }

    @Test
    void theSameContainerStepAndAttemptAlwaysWaitTheSame() {
        assertThat(SETTINGS.retryDelay(CONTAINER, ContainerStep.START, 3))
                .isEqualTo(SETTINGS.retryDelay(ContainerId.of(CONTAINER.value()), ContainerStep.START, 3));
    }

    /** Jitter: containers that failed together (an engine that went away) do not all come back at once. */
    @Test
    void containersThatFailedTogetherRetryApart() {
        Set<Duration> delays = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            delays.add(SETTINGS.retryDelay(ContainerId.forUser(UserId.random()), ContainerStep.CREATE, 4));
        }
        assertThat(delays).hasSizeGreaterThan(40);
    }

    @Test
    void refusesSettingsThatCannotWork() {
        Duration timeout = ofSeconds(120);
        Duration answerTimeout = ofSeconds(30);
        assertThatThrownBy(() -> new ProvisioningSettings(timeout, answerTimeout, ofSeconds(1), ofSeconds(20), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProvisioningSettings(timeout, answerTimeout, ofSeconds(5), ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProvisioningSettings(timeout, answerTimeout, Duration.ZERO, ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultTimeoutIsTheContractsTwoMinutes() {
        assertThat(ProvisioningSettings.defaults().timeout()).isEqualTo(ofSeconds(120));
    }
}
