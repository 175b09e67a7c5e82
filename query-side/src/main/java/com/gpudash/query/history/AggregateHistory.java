package com.gpudash.query.history;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One aggregate's events straight from the event store, the source of the history and time-travel answers. The store is
 * read with blocking JDBC, so off the event loop, whose few threads serve every request. It is read from sequence
 * number 0: reading an aggregate's events without a start would begin at its latest snapshot (the aggregate's state,
 * not an event) and leave out every event before it.
 */
@Component
public class AggregateHistory {

    private final EventStore eventStore;

    AggregateHistory(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** Every event of the aggregate, oldest first; empty for an id the store has never seen. */
    public Mono<List<DomainEventMessage<?>>> events(String aggregateId) {
        return until(aggregateId, null);
    }

    /**
     * The events stored at or before {@code asOf}, oldest first: what the aggregate was at that instant. An
     * aggregate's events are appended in order, so the first later one ends the list.
     */
    public Mono<List<DomainEventMessage<?>>> until(String aggregateId, Instant asOf) {
        return Mono.fromCallable(() -> eventStore.readEvents(aggregateId, 0).asStream()
                        .takeWhile(event -> asOf == null || !event.getTimestamp().isAfter(asOf))
                        .<DomainEventMessage<?>>map(event -> event)
                        .collect(Collectors.toList()))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
