package com.gpudash.command.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.gpudash.api.MovableClock;
import org.junit.jupiter.api.Test;

class RegistrationThrottleTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final MovableClock clock = new MovableClock(START);
    private final RegistrationThrottle throttle = new RegistrationThrottle(clock, 3, Duration.ofMinutes(10));

    @Test
    void anAddressGetsItsAllowancePerWindowAndThenWaitsForTheWindowsEnd() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.attempt("203.0.113.1")).isEmpty();
        }
        clock.advance(Duration.ofSeconds(60));
        assertThat(throttle.attempt("203.0.113.1")).contains(START.plus(Duration.ofMinutes(10)));
        assertThat(throttle.attempt("203.0.113.2")).as("another address counts on its own").isEmpty();

        clock.advance(Duration.ofMinutes(9));
        assertThat(throttle.attempt("203.0.113.1")).as("a new window").isEmpty();
    }

    @Test
    void requestsWithoutAnAddressShareOneCount() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.attempt(null)).isEmpty();
        }
        assertThat(throttle.attempt("")).isPresent();
    }
}
