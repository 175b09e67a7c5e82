package com.gpudash.api;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Counts what a source repeats (a refused call, a throttled login) over fixed intervals, so that the audit log can
 * record the first of each kind at once and the rest as one count when the interval ends: a flood then costs a few
 * events per interval instead of one per request. The caller decides what a kind is (its key) and ends the
 * intervals on its own schedule. Counts are exact: an occurrence belongs to exactly one interval's answer (counting
 * takes a shared lock, which only the end of an interval waits for). It is in shared-api
 * because the two that count refusals live in different modules (infra's refused calls, command-side's logins).
 *
 * @param <K> what is counted; keys of different record types may share one tally
 */
public final class IntervalTally<K> {

    /** The occurrences of {@code key} in the interval {@code from}–{@code to} after its first. */
    public record Repeated<K>(K key, long beyondFirst, Instant from, Instant to) {
    }

    private record Interval<K>(Instant start, Map<K, AtomicLong> counts) {
    }

    private final Clock clock;
    private final ReadWriteLock swap = new ReentrantReadWriteLock();
    private volatile Interval<K> current;

    public IntervalTally(Clock clock) {
        this.clock = clock;
        this.current = new Interval<>(clock.instant(), new ConcurrentHashMap<>());
    }

    /** Counts one occurrence of {@code key}; answers how many came before it in this interval (0: the first). */
    public long add(K key) {
        swap.readLock().lock();
        try {
            return current.counts().computeIfAbsent(key, k -> new AtomicLong()).getAndIncrement();
        } finally {
            swap.readLock().unlock();
        }
    }

    /** How many of {@code key} this interval has counted so far. */
    public long count(K key) {
        AtomicLong count = current.counts().get(key);
        return count == null ? 0 : count.get();
    }

    /** When the current interval started. */
    public Instant intervalStart() {
        return current.start();
    }

    /**
     * Ends the interval and starts the next: answers every key counted more than once, with its occurrences after
     * the first.
     */
    public List<Repeated<K>> endInterval() {
        Interval<K> ended;
        Instant end;
        swap.writeLock().lock();
        try {
            ended = current;
            end = clock.instant();
            current = new Interval<>(end, new ConcurrentHashMap<>());
        } finally {
            swap.writeLock().unlock();
        }
        List<Repeated<K>> repeated = new ArrayList<>();
        ended.counts().forEach((key, count) -> {
            long beyondFirst = count.get() - 1;
            if (beyondFirst > 0) {
                repeated.add(new Repeated<>(key, beyondFirst, ended.start(), end));
            }
        });
        return repeated;
    }
}
