package com.gpudash.query.live;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.gpudash.api.live.LiveChange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * What one event stream has yet to send: at most {@code capacity} objects, each once. A change of an object that
 * is already waiting takes no more room (its latest state is read when it is sent). A change that finds the buffer
 * full empties it and leaves one {@link Overflow} in its place: the client is told to refetch, which covers
 * everything dropped and everything that changes until the mark is sent. So a client that reads slowly, or not at
 * all, costs at most {@code capacity} entries, however much changes.
 */
final class PendingChanges {

    /** What the stream sends next. */
    sealed interface Next permits Changed, Overflow {
    }

    record Changed(LiveChange change) implements Next {
    }

    record Overflow() implements Next {
    }

    private record Key(LiveChange.Kind kind, String id) {
    }

    private final int capacity;
    private final Runnable onOverflow;
    private final Map<Key, LiveChange> waiting = new LinkedHashMap<>();
    private boolean overflowed;

    /** @param onOverflow called each time the buffer is emptied for want of room (for the metrics) */
    PendingChanges(int capacity, Runnable onOverflow) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.onOverflow = onOverflow;
    }

    synchronized void offer(LiveChange change) {
        if (overflowed) {
            return;
        }
        Key key = new Key(change.kind(), change.id());
        if (waiting.containsKey(key)) {
            return;
        }
        if (waiting.size() >= capacity) {
            waiting.clear();
            overflowed = true;
            onOverflow.run();
            return;
        }
        waiting.put(key, change);
    }

    /** The overflow mark first, else the longest-waiting object; null when nothing waits. */
    synchronized Next poll() {
        if (overflowed) {
            overflowed = false;
            return new Overflow();
        }
        var oldest = waiting.entrySet().iterator();
        if (!oldest.hasNext()) {
            return null;
        }
        LiveChange change = oldest.next().getValue();
        oldest.remove();
        return new Changed(change);
    }

    synchronized int size() {
        return waiting.size();
    }

    /**
     * Takes every update as it comes (so Axon's own buffer never fills), keeps it here, and hands out only as many
     * as the subscriber has asked for: a subscriber that stops asking leaves the rest waiting, bounded, here.
     */
    Flux<Next> drain(Flux<LiveChange> updates) {
        return Flux.create(sink -> {
            AtomicInteger work = new AtomicInteger();
            Runnable emit = () -> {
                if (work.getAndIncrement() != 0) {
                    return;
                }
                int missed = 1;
                do {
                    while (sink.requestedFromDownstream() > 0 && !sink.isCancelled()) {
                        Next next = poll();
                        if (next == null) {
                            break;
                        }
                        sink.next(next);
                    }
                    missed = work.addAndGet(-missed);
                } while (missed != 0);
            };
            sink.onRequest(requested -> emit.run());
            sink.onDispose(updates.subscribe(change -> {
                offer(change);
                emit.run();
            }, sink::error, sink::complete));
        }, FluxSink.OverflowStrategy.ERROR);
    }
}
