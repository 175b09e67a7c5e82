package com.gpudash.api;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background work that runs again and again while the application runs (a telemetry round, a reconciliation
 * pass, a retry of dead letters, a flush), on a daemon thread of its own since such work blocks on servers and the
 * database. A run starts one interval after the previous one started; one that overruns the interval is followed
 * at once by the next, never by a burst of those it missed. A run that throws is logged and the next one still
 * comes: one failure (the database briefly gone, say) must not end the schedule.
 * <p>
 * It lives in shared-api because that is the one module every other module sees: the workers in saga, the
 * query side's flushes and infra's own chores all run on this one ticker. shared-api has no Spring, so this uses
 * only the JDK (and SLF4J for the log); each user is the Spring {@code SmartLifecycle} that hands its start and
 * stop here, and chooses its own phase.
 */
public final class PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Duration firstDelay;
    private final Duration interval;
    private final Runnable work;
    private final Supplier<ScheduledExecutorService> threads;
    private final LongSupplier nanoTime;
    /** Null while stopped; each start has a fresh one, since a shut-down executor cannot be started again. */
    private ScheduledExecutorService thread;

    /**
     * @param name       the thread's name, and the work's name in the log
     * @param firstDelay from {@link #start()} to the first run
     */
    public PeriodicTask(String name, Duration firstDelay, Duration interval, Runnable work) {
        this(name, firstDelay, interval, work, () -> Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        }), System::nanoTime);
    }

    PeriodicTask(String name, Duration firstDelay, Duration interval, Runnable work,
                 Supplier<ScheduledExecutorService> threads, LongSupplier nanoTime) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(name + ": the interval must be positive, not " + interval);
        }
        this.name = name;
        this.firstDelay = firstDelay;
        this.interval = interval;
        this.work = work;
        this.threads = threads;
        this.nanoTime = nanoTime;
    }

    /** Schedules the first run; does nothing when already started. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        ScheduledExecutorService started = threads.get();
        thread = started;
        started.schedule(() -> runOn(started), firstDelay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Cancels the runs to come and interrupts one in progress; a later {@link #start()} begins anew. */
    public synchronized void stop() {
        if (thread != null) {
            thread.shutdownNow();
            thread = null;
        }
    }

    public synchronized boolean isRunning() {
        return thread != null;
    }

    private void runOn(ScheduledExecutorService executor) {
        long started = nanoTime.getAsLong();
        try {
            work.run();
        } catch (RuntimeException e) {
            log.error("{} failed; it runs again within {} ms", name, interval.toMillis(), e);
        }
        long took = nanoTime.getAsLong() - started;
        synchronized (this) {
            // Stopped during the run (and perhaps started again, on another executor): this schedule has ended.
            if (thread == executor) {
                executor.schedule(() -> runOn(executor), Math.max(0, interval.toNanos() - took), TimeUnit.NANOSECONDS);
            }
        }
    }
}
