package com.gpudash.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Axon's default logs and skips an event whose handler fails. Here an event a projection cannot handle is parked in
 * the JDBC dead-letter queue, not skipped, and handled
 * when retried once the cause is gone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "DATA_DIR=target/test-data/dead-letters", "LOG_FILE=target/test-data/dead-letters.log",
        "management.server.port=0", "gpudash.security.bcrypt-cost=4",
        "axon.eventhandling.processors.flaky-projection.dlq.enabled=true"})
@Import(DeadLetterQueueTest.FlakyProjection.class)
class DeadLetterQueueTest {

    record Noted(String text) {
    }

    @TestComponent
    @ProcessingGroup("flaky-projection")
    static class FlakyProjection {
        final AtomicBoolean broken = new AtomicBoolean(true);
        final List<String> seen = new CopyOnWriteArrayList<>();

        @EventHandler
        void on(Noted event) {
            if (broken.get()) {
                throw new IllegalStateException("the read model's table is locked");
            }
            seen.add(event.text());
        }
    }

    @Autowired
    EventStore events;
    @Autowired
    FlakyProjection projection;
    @Autowired
    DeadLetterRetry retry;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aFailedEventIsParkedAndHandledWhenRetried() throws Exception {
        String aggregate = UUID.randomUUID().toString();
        events.publish(new GenericDomainEventMessage<>("Note", aggregate, 0, new Noted("first")),
                new GenericDomainEventMessage<>("Note", aggregate, 1, new Noted("second")));

        awaitParked(aggregate, 2);
        assertThat(projection.seen).isEmpty();

        projection.broken.set(false);
        assertThat(retry.retryAll()).isPositive();

        assertThat(projection.seen).containsExactly("first", "second");
        assertThat(parked(aggregate)).isZero();
    }

    private void awaitParked(String aggregate, int letters) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (parked(aggregate) < letters) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the events were never parked: " + parked(aggregate) + " letters");
            }
            Thread.sleep(100);
        }
    }

    private int parked(String aggregate) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM DeadLetterEntry WHERE processingGroup = 'flaky-projection'"
                + " AND aggregateIdentifier = ?", Integer.class, aggregate);
    }
}
