package com.gpudash.saga.provisioning;

import java.time.Duration;
import java.util.SplittableRandom;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStep;

/**
 * How long a provisioning may take and how its steps are retried. The saga receives it as a handler parameter,
 * so infra provides it as a bean.
 *
 * @param timeout         the whole provisioning (PROVISION_TIMEOUT); then it is compensated and fails
 * @param answerTimeout   how long a dispatched step may stay unanswered before it is sent again; long enough for a
 *                        slow step, so that a healthy worker is not given the same work twice
 * @param retryBase       the delay before the second attempt of a step that failed
 * @param retryCap        the longest delay between two attempts
 * @param maxAttempts     attempts of one step before it counts as failed for good
 */
public record ProvisioningSettings(Duration timeout, Duration answerTimeout, Duration retryBase, Duration retryCap,
                                   int maxAttempts) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    public ProvisioningSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (retryBase.isNegative() || retryBase.isZero() || retryCap.compareTo(retryBase) < 0) {
            throw new IllegalArgumentException("Need 0 < retryBase <= retryCap, got " + retryBase + " and " + retryCap);
        }
    }

    public static ProvisioningSettings defaults() {
        return new ProvisioningSettings(DEFAULT_TIMEOUT, Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(20), 6);
    }

    /**
     * Exponential back-off with "equal jitter": the delay doubles with each failed attempt up to the cap, and its
     * upper half is spread. The spread is derived from the container, the step and the attempt rather than drawn
     * at random: many containers failing at once (a Docker Engine that went away) still retry apart, while one
     * container's delays are the same after a restart and in a test.
     *
     * @param failedAttempt the attempt that failed, from 1
     */
    public Duration retryDelay(ContainerId containerId, ContainerStep step, int failedAttempt) {
        long capMillis = retryCap.toMillis();
        long exponential = retryBase.toMillis();
        // Doubling stops at the cap, so it cannot overflow however many attempts there were.
        for (int i = 1; i < failedAttempt && exponential < capMillis; i++) {
            exponential *= 2;
        }
        exponential = Math.min(exponential, capMillis);
        long seed = ((long) containerId.value().hashCode() << 32) ^ ((long) step.ordinal() << 16) ^ failedAttempt;
        long spread = (long) (new SplittableRandom(seed).nextDouble() * (exponential / 2.0));
        return Duration.ofMillis(exponential - exponential / 2 + spread);
    }
}
