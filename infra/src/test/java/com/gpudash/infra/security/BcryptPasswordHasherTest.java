package com.gpudash.infra.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;

import com.gpudash.api.user.PasswordHash;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class BcryptPasswordHasherTest {

    private final BcryptPasswordHasher hasher = new BcryptPasswordHasher(8, 2, 0, Duration.ofSeconds(1));

    @Test
    void aHashMatchesItsPasswordOnly() {
        PasswordHash hash = hasher.hash("correct horse").block();

        assertThat(hash.value()).startsWith("$2a$08$");
        assertThat(hasher.matches("correct horse", hash).block()).isTrue();
        assertThat(hasher.matches("correct horsf", hash).block()).isFalse();
        assertThat(hasher.matches("x".repeat(73), hash).block()).as("longer than bcrypt reads").isFalse();
    }

    @Test
    void noHashMatchesNothingButCostsTheSame() {
        PasswordHash hash = hasher.hash("correct horse").block();
        hasher.matches("warm up", hash).block();

        long known = medianNanos(() -> hasher.matches("wrong", hash).block());
        long unknown = medianNanos(() -> assertThat(hasher.matches("wrong", null).block()).isFalse());

        assertThat((double) unknown / known).isBetween(0.5, 2.0);
    }

    @Test
    void workBeyondTheRunningAndTheQueuedIsRefusedOnArrival() {
        BcryptPasswordHasher busy = new BcryptPasswordHasher(12, 1, 1, Duration.ofMinutes(1));
        PasswordHash hash = hasher.hash("correct horse").block();
        try {
            // Hashing at the hasher's own cost takes long enough for the third to arrive while both are admitted.
            Mono<PasswordHash> running = busy.hash("first").cache();
            Mono<PasswordHash> queued = busy.hash("second").cache();
            running.subscribe();
            queued.subscribe();

            assertThatThrownBy(() -> busy.matches("correct horse", hash).block())
                    .isInstanceOf(RejectedExecutionException.class);
            assertThat(busy.matches("first", running.block()).block()).isTrue();
            assertThat(busy.matches("second", queued.block()).block()).as("admitted again once done").isTrue();
        } finally {
            busy.destroy();
        }
    }

    @Test
    void workThatWouldWaitLongerThanAllowedIsRefusedOnArrival() {
        BcryptPasswordHasher slow = new BcryptPasswordHasher(14, 1, 4, Duration.ofMillis(300));
        try {
            Mono<PasswordHash> running = slow.hash("first").cache();
            running.subscribe();

            // A place is free, but behind a hash of cost 14 (a second or more) it would wait longer than allowed.
            assertThatThrownBy(() -> slow.hash("second").block()).isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("would be too long");
            assertThat(running.block()).isNotNull();
        } finally {
            slow.destroy();
        }
    }

    private static long medianNanos(Runnable check) {
        long[] times = new long[7];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            check.run();
            times[i] = System.nanoTime() - start;
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }
}
