package com.gpudash.testsupport;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waiting in tests for what happens asynchronously (projections, sagas, workers, nginx reloads, a process that
 * starts): a check is asked again every {@value #POLL_MILLIS} ms, or as often as told, until it gives a value or
 * the limit passes. Every module's tests reach it through shared-api's test-jar.
 */
public final class Eventually {

    private static final long POLL_MILLIS = 100;

    /** One look at what is awaited: a value once it has happened, empty until then. */
    @FunctionalInterface
    public interface Check<T> {

        /**
         * An exception ends the wait and reaches the test (a process that died will not start); a check for
         * which a failure only means "not yet" (a port that is not listening yet) catches it and answers empty.
         */
        Optional<T> get() throws Exception;
    }

    private Eventually() {
    }

    /** The first value {@code check} gives; an AssertionError naming {@code what} after {@code limit}. */
    public static <T> T await(String what, Duration limit, Check<T> check) {
        return await(() -> what, limit, check);
    }

    /** As above, with a description made when it gives up, so it can say what was last seen. */
    public static <T> T await(Supplier<String> what, Duration limit, Check<T> check) {
        return await(what, limit, Duration.ofMillis(POLL_MILLIS), check);
    }

    /** As above, asking every {@code every}: for a check too costly to repeat often, or a pace a benchmark times. */
    public static <T> T await(Supplier<String> what, Duration limit, Duration every, Check<T> check) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<T> value = ask(check);
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up waiting for " + what.get() + " after " + limit.toSeconds() + " s");
            }
            pause(every);
        }
    }

    /**
     * A deliberate wait that is not a poll: a window in which something must hold still. To wait for something
     * to happen, use {@code await}.
     */
    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    private static <T> Optional<T> ask(Check<T> check) {
        try {
            return check.get();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
