package com.gpudash.infra.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A closed-loop load for the read benchmarks: each of {@code workers} threads sends its next call as soon as its
 * last one answered, for a duration, so the throughput and the latencies it reports are those of the system at that
 * concurrency (an open loop at a fixed rate would measure the queue instead once the rate is above capacity).
 */
final class ClosedLoop {

    /** The call a worker sends as the {@code index}th of the run; its answer is true when it succeeded. */
    interface Call {
        Supplier<Boolean> of(int index);
    }

    record Latencies(List<Long> nanos, long errors, double seconds) {

        double percentileMillis(int percentile) {
            List<Long> sorted = nanos.stream().sorted().toList();
            int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
            return sorted.isEmpty() ? Double.NaN : sorted.get(Math.max(0, index)) / 1e6;
        }

        double perSecond() {
            return nanos.size() / seconds;
        }

        String summary() {
            return String.format(Locale.ROOT, "%6.0f/s p50 %8.1f ms p99 %8.1f ms max %8.1f ms err %d", perSecond(),
                    percentileMillis(50), percentileMillis(99), percentileMillis(100), errors);
        }
    }

    private ClosedLoop() {
    }

    static Latencies run(int workers, java.time.Duration duration, Call calls) throws Exception {
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        Supplier<Boolean> call = calls.of((int) next.getAndIncrement());
                        long sent = System.nanoTime();
                        boolean ok = call.get();
                        nanos.add(System.nanoTime() - sent);
                        if (!ok) {
                            errors.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Latencies(new ArrayList<>(nanos), errors.get(), (System.nanoTime() - start) / 1e9);
    }
}
