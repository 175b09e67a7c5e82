package com.gpudash.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** The ticker's timing on an executor and a clock the test drives: no run happens unless the test runs it. */
class PeriodicTaskTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);

    /** Keeps what is scheduled instead of running it; {@link #runNext()} runs the earliest as its thread would. */
    static final class ManualExecutor extends ScheduledThreadPoolExecutor {

        record Scheduled(Runnable command, Duration delay) {
        }

        final Deque<Scheduled> pending = new ArrayDeque<>();

        ManualExecutor() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (isShutdown()) {
                throw new java.util.concurrent.RejectedExecutionException("shut down");
            }
            pending.add(new Scheduled(command, Duration.ofNanos(unit.toNanos(delay))));
            return null;
        }

        Duration nextDelay() {
            assertThat(pending).as("a run is scheduled").hasSize(1);
            return pending.peek().delay();
        }

        void runNext() {
            pending.remove().command().run();
        }
    }

    private final List<ManualExecutor> executors = new ArrayList<>();
    private long now;
    private final List<String> runs = new ArrayList<>();

    private PeriodicTask task(Duration firstDelay, Runnable work) {
        return new PeriodicTask("test-task", firstDelay, INTERVAL, work, () -> {
            ManualExecutor executor = new ManualExecutor();
            executors.add(executor);
            return executor;
        }, () -> now);
    }

    private Runnable taking(Duration duration) {
        return () -> {
            runs.add("run");
            now += duration.toNanos();
        };
    }

    @Test
    void theFirstRunWaitsTheFirstDelayAndEachNextStartsOneIntervalAfterThePreviousStarted() {
        PeriodicTask task = task(Duration.ofSeconds(3), taking(Duration.ofMillis(2500)));
        assertThat(task.isRunning()).isFalse();

        task.start();

        assertThat(task.isRunning()).isTrue();
        ManualExecutor executor = executors.get(0);
        assertThat(runs).as("nothing runs before its time").isEmpty();
        assertThat(executor.nextDelay()).isEqualTo(Duration.ofSeconds(3));
        executor.runNext();
        assertThat(runs).hasSize(1);
        assertThat(executor.nextDelay()).isEqualTo(Duration.ofMillis(7500));
        executor.runNext();
        assertThat(runs).hasSize(2);
        assertThat(executor.nextDelay()).isEqualTo(Duration.ofMillis(7500));
    }

    @Test
    void aRunThatOverrunsTheIntervalIsFollowedAtOnceButOnlyOnce() {
        Deque<Duration> durations = new ArrayDeque<>(List.of(Duration.ofSeconds(25), Duration.ofSeconds(1)));
        PeriodicTask task = task(Duration.ZERO, () -> now += durations.remove().toNanos());
        task.start();
        ManualExecutor executor = executors.get(0);
        assertThat(executor.nextDelay()).isZero();

        executor.runNext();
        assertThat(executor.nextDelay()).as("the runs it missed are not made up").isZero();
        executor.runNext();
        assertThat(executor.nextDelay()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void aRunThatThrowsDoesNotEndTheSchedule() {
        PeriodicTask task = task(Duration.ZERO, () -> {
            runs.add("run");
            throw new IllegalStateException("database briefly gone");
        });
        task.start();
        ManualExecutor executor = executors.get(0);

        executor.runNext();
        executor.runNext();

        assertThat(runs).hasSize(2);
        assertThat(executor.nextDelay()).isEqualTo(INTERVAL);
    }

    @Test
    void stopEndsTheScheduleEvenWhenItComesDuringARun() {
        AtomicReference<PeriodicTask> self = new AtomicReference<>();
        PeriodicTask task = task(Duration.ZERO, () -> {
            runs.add("run");
            self.get().stop();
        });
        self.set(task);
        task.start();
        ManualExecutor executor = executors.get(0);

        executor.runNext();

        assertThat(task.isRunning()).isFalse();
        assertThat(executor.isShutdown()).isTrue();
        assertThat(executor.pending).as("no run after the one that was under way").isEmpty();
    }

    @Test
    void startingTwiceKeepsOneScheduleAndAStopThenStartBeginsAFreshOne() {
        PeriodicTask task = task(Duration.ofSeconds(1), taking(Duration.ZERO));
        task.start();
        task.start();
        assertThat(executors).hasSize(1);
        assertThat(executors.get(0).pending).hasSize(1);

        task.stop();
        task.stop();
        assertThat(executors.get(0).isShutdown()).isTrue();
        task.start();

        assertThat(executors).hasSize(2);
        assertThat(executors.get(1).nextDelay()).isEqualTo(Duration.ofSeconds(1));
        task.stop();
    }

    @Test
    void anIntervalMustBePositive() {
        assertThatThrownBy(() -> new PeriodicTask("never", Duration.ZERO, Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never");
    }

    @Test
    void itRunsOnADaemonThreadNamedAfterIt() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<Thread> thread = new AtomicReference<>();
        PeriodicTask task = new PeriodicTask("named-ticker", Duration.ZERO, Duration.ofHours(1), () -> {
            thread.set(Thread.currentThread());
            ran.countDown();
        });
        task.start();
        try {
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("the first run came").isTrue();
        } finally {
            task.stop();
        }
        assertThat(thread.get().getName()).isEqualTo("named-ticker");
        assertThat(thread.get().isDaemon()).as("a daemon thread never keeps the JVM alive").isTrue();
    }
}
