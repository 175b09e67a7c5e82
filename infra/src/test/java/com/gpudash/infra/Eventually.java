package com.gpudash.infra;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waiting in tests for what the application does asynchronously (projections, sagas, workers, nginx reloads):
 * a check is asked again every {@value #POLL_MILLIS} ms until it gives a value or the limit passes.
 */
public final class Eventually {

    private static final long POLL_MILLIS = 100;

    private Eventually() {
    }

    /** The first value {@code check} gives; an AssertionError naming {@code what} after {@code limit}. */
    public static <T> T await(String what, Duration limit, Supplier<Optional<T>> check) {
        return await(() -> what, limit, check);
    }

    /** As above, with a description made when it gives up, so it can say what was last seen. */
    public static <T> T await(Supplier<String> what, Duration limit, Supplier<Optional<T>> check) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> value = check.get();
            if (value.isPresent()) {
                return value.get();
            }
            pause(Duration.ofMillis(POLL_MILLIS));
        }
        throw new AssertionError("gave up waiting for " + what.get() + " after " + limit.toSeconds() + " s");
    }

    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
