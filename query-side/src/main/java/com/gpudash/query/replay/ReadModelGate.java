package com.gpudash.query.replay;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

/**
 * Keeps decisions that act on the world away from read models that are being rebuilt. While a replay empties
 * and refills the container and route tables, reconciliation would take every running container for an
 * orphan and remove it, and the route publisher would write an nginx config without the other users' routes.
 * Those readers pass through here; a replay holds the gate shut until its projections have caught up.
 */
@Component
public class ReadModelGate {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Reads when the read models are complete, waiting up to {@code wait} for a rebuild to end. */
    public <T> T read(Duration wait, Supplier<T> reader) {
        boolean open;
        try {
            open = lock.readLock().tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the read models were being rebuilt", e);
        }
        if (!open) {
            throw new IllegalStateException("The read models are being rebuilt; try again when the replay is over");
        }
        try {
            return reader.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code work} only if no rebuild is under way; says whether it ran. */
    public boolean runIfComplete(Runnable work) {
        if (!lock.readLock().tryLock()) {
            return false;
        }
        try {
            work.run();
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Shuts the gate for the rebuild, once the readers inside have left. */
    interface Rebuild<T> {
        T run() throws InterruptedException;
    }

    <T> T rebuilding(Rebuild<T> rebuild) throws InterruptedException {
        lock.writeLock().lockInterruptibly();
        try {
            return rebuild.run();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
