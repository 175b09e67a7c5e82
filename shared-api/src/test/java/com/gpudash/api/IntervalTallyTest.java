package com.gpudash.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class IntervalTallyTest {

    private static final Instant START = Instant.parse("2026-12-04T10:00:00Z");

    private final MovableClock clock = new MovableClock(START);
    private final IntervalTally<String> tally = new IntervalTally<>(clock);

    @Test
    void tellsTheFirstOfEachKeyApartAndAnswersTheRestWhenTheIntervalEnds() {
        assertThat(tally.add("a")).isZero();
        assertThat(tally.add("a")).isEqualTo(1);
        assertThat(tally.add("a")).isEqualTo(2);
        assertThat(tally.add("b")).isZero();
        assertThat(tally.count("a")).isEqualTo(3);
        assertThat(tally.count("never")).isZero();

        clock.advance(Duration.ofMinutes(1));
        assertThat(tally.endInterval()).as("b happened once: recorded at once, nothing left to count")
                .containsExactly(new IntervalTally.Repeated<>("a", 2, START, START.plusSeconds(60)));
    }

    @Test
    void theNextIntervalStartsAfreshWhereTheLastEnded() {
        tally.add("a");
        tally.add("a");
        clock.advance(Duration.ofMinutes(1));
        tally.endInterval();

        assertThat(tally.intervalStart()).isEqualTo(START.plusSeconds(60));
        assertThat(tally.count("a")).isZero();
        assertThat(tally.add("a")).as("first again in the new interval").isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(tally.endInterval()).isEmpty();
    }

    @Test
    void countsFromManyThreadsAddUp() throws InterruptedException {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        AtomicLong firsts = new AtomicLong();
        for (int i = 0; i < 80_000; i++) {
            String key = "k" + (i % 10);
            threads.execute(() -> {
                if (tally.add(key) == 0) {
                    firsts.incrementAndGet();
                }
            });
        }
        threads.shutdown();
        assertThat(threads.awaitTermination(1, TimeUnit.MINUTES)).isTrue();

        assertThat(firsts.get()).as("one first per key").isEqualTo(10);
        assertThat(tally.endInterval()).hasSize(10).allSatisfy(repeated ->
                assertThat(repeated.beyondFirst()).isEqualTo(7_999));
    }

    @Test
    void noCountIsLostWhileIntervalsEndUnderLoad() throws InterruptedException {
        ExecutorService adders = Executors.newFixedThreadPool(4);
        AtomicLong added = new AtomicLong();
        AtomicLong firsts = new AtomicLong();
        AtomicLong repeats = new AtomicLong();
        AtomicLong intervalsEnded = new AtomicLong();
        for (int thread = 0; thread < 4; thread++) {
            adders.execute(() -> {
                while (intervalsEnded.get() < 200) {
                    if (tally.add("k") == 0) {
                        firsts.incrementAndGet();
                    }
                    added.incrementAndGet();
                }
            });
        }
        adders.shutdown();
        while (!adders.awaitTermination(0, TimeUnit.MILLISECONDS)) {
            tally.endInterval().forEach(repeated -> repeats.addAndGet(repeated.beyondFirst()));
            intervalsEnded.incrementAndGet();
        }
        tally.endInterval().forEach(repeated -> repeats.addAndGet(repeated.beyondFirst()));

        assertThat(firsts.get() + repeats.get()).isEqualTo(added.get());
    }
}
