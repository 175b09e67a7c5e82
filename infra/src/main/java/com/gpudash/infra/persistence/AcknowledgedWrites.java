package com.gpudash.infra.persistence;

import java.time.Duration;
import java.util.Map;
import java.util.NavigableSet;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Read-your-writes for every read: the positions (global indexes in the event store) of the events this node has
 * committed, and a wait, before a read, until every projection has applied all of them.
 * <p>
 * Projections are tracking processors that trail the event store by milliseconds, while a client acts on a 2xx at
 * once. Rather than each endpoint retrying its own rows, a read first waits until the projections have applied every
 * write acknowledged before it started, whoever made it: the admin who reads a user right after that user's
 * registration sees it, as does the user who reads his own container right after a start. Only this node's writes are
 * known here; that is every write on a single node.
 * <p>
 * A projection has applied an event when its committed token is at or past the event's position and does not list
 * that position as a gap (an event committed after later ones). Gaps of other transactions, such as ids taken by a
 * rolled-back insert that never fill, are not waited for. A projection that is replaying, stopped or failing is not
 * waited for; and no read waits longer than {@code gpudash.read-your-writes.max-wait}: it then reads what there is.
 */
@Component
public class AcknowledgedWrites {

    private static final Logger log = LoggerFactory.getLogger(AcknowledgedWrites.class);
    private static final String PROJECTION_SUFFIX = "-projection";
    private static final Duration POLL = Duration.ofMillis(2);

    private final NavigableSet<Long> notYetApplied = new ConcurrentSkipListSet<>();
    private final Supplier<Map<String, StreamingEventProcessor>> projections;
    private final Duration maxWait;
    private final Counter gaveUp;

    AcknowledgedWrites(EventProcessingConfiguration processing, MeterRegistry meters,
                       @Value("${gpudash.read-your-writes.max-wait:5s}") Duration maxWait) {
        this.projections = new Supplier<>() {
            private volatile Map<String, StreamingEventProcessor> found = Map.of();

            @Override
            public Map<String, StreamingEventProcessor> get() {
                // The processors are all registered once Axon has started; until then there is nothing to wait for.
                if (found.isEmpty()) {
                    found = processing.eventProcessors().entrySet().stream()
                            .filter(entry -> entry.getKey().endsWith(PROJECTION_SUFFIX))
                            .filter(entry -> entry.getValue() instanceof StreamingEventProcessor)
                            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                                    entry -> (StreamingEventProcessor) entry.getValue()));
                }
                return found;
            }
        };
        this.maxWait = maxWait;
        this.gaveUp = Counter.builder("gpudash_read_your_writes_timeouts")
                .description("Reads that stopped waiting for the projections to apply earlier writes")
                .register(meters);
    }

    /** The event at {@code position} is committed, and its writer may be answered. */
    public void committed(long position) {
        notYetApplied.add(position);
        forgetApplied();
    }

    /** Completes once every write committed before the call is applied by every projection, or after the max wait. */
    public Mono<Void> applied() {
        forgetApplied();
        if (notYetApplied.isEmpty()) {
            return Mono.empty();
        }
        long newest = notYetApplied.last();
        return Mono.fromSupplier(() -> {
                    forgetApplied();
                    return notYetApplied.isEmpty() || notYetApplied.first() > newest;
                })
                .filter(Boolean::booleanValue)
                .repeatWhenEmpty(Integer.MAX_VALUE, ticks -> ticks.delayElements(POLL))
                .timeout(maxWait, Mono.fromRunnable(() -> {
                    gaveUp.increment();
                    log.warn("A read waited {} for the projections to apply the write at position {}; it reads what"
                            + " there is", maxWait, newest);
                }))
                .then();
    }

    /** Drops, from the oldest, the positions that every projection has applied. */
    private void forgetApplied() {
        Long oldest;
        while ((oldest = first()) != null && appliedByAll(oldest)) {
            notYetApplied.remove(oldest);
        }
    }

    private Long first() {
        try {
            return notYetApplied.first();
        } catch (java.util.NoSuchElementException empty) {
            return null;
        }
    }

    private boolean appliedByAll(long position) {
        for (StreamingEventProcessor projection : projections.get().values()) {
            if (!projection.isRunning() || projection.isError()) {
                continue;
            }
            for (EventTrackerStatus segment : projection.processingStatus().values()) {
                if (segment.isReplaying() || segment.isErrorState()) {
                    continue;
                }
                if (!applied(segment.getTrackingToken(), position)) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean applied(TrackingToken token, long position) {
        if (token == null) {
            return false;
        }
        TrackingToken upper = WrappedToken.unwrapUpperBound(token);
        OptionalLong reached = upper.position();
        if (reached.isEmpty() || reached.getAsLong() < position) {
            return false;
        }
        return !(upper instanceof GapAwareTrackingToken gapAware) || !gapAware.getGaps().contains(position);
    }
}
