package com.gpudash.command.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final MovableClock clock = new MovableClock();
    private final LoginThrottle throttle = new LoginThrottle(clock, 5, Duration.ofMinutes(15), Duration.ofMinutes(15));

    @Test
    void theFifthFailureWithinTheWindowLocksForTheLockout() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("alice");
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(throttle.lockedUntil("alice")).isEmpty();

        throttle.recordFailure("ALICE");

        assertThat(throttle.lockedUntil("alice")).contains(clock.instant().plus(Duration.ofMinutes(15)));
        assertThat(throttle.lockedUntil("bob")).isEmpty();
        clock.advance(Duration.ofMinutes(14));
        assertThat(throttle.lockedUntil("alice")).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.lockedUntil("alice")).isEmpty();
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("alice");
        }
        clock.advance(Duration.ofMinutes(16));

        throttle.recordFailure("alice");

        assertThat(throttle.lockedUntil("alice")).isEmpty();
    }

    @Test
    void aSuccessForgetsTheFailures() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("alice");
        }
        throttle.recordSuccess("alice");

        throttle.recordFailure("alice");

        assertThat(throttle.lockedUntil("alice")).isEmpty();
    }

    private static final class MovableClock extends Clock {

        private Instant now = Instant.parse("2026-11-25T20:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
