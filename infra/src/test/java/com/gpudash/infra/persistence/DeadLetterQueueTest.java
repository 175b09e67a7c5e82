package com.gpudash.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.gpudash.query.projection.ProjectionWrites;
import com.gpudash.testsupport.Eventually;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
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
 * Axon's default logs and skips an event whose handler fails. Here an event a projection cannot handle is parked in the JDBC dead-letter queue, not skipped, and handled
 * when retried once the cause is gone; also when the projection's writes wait for the end of the processor's batch
 * ({@link ProjectionWrites}) and the queue caches which sequences it holds, as the read models' projections do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "DATA_DIR=target/test-data/dead-letters", "LOG_FILE=target/test-data/dead-letters.log",
        "management.server.port=0", "gpudash.security.bcrypt-cost=4",
        "axon.eventhandling.processors.flaky-projection.dlq.enabled=true",
        "axon.eventhandling.processors.batched-projection.dlq.enabled=true",
        "axon.eventhandling.processors.batched-projection.dlq.cache.enabled=true",
        "axon.eventhandling.processors.batched-projection.batch-size=100"})
@Import({DeadLetterQueueTest.FlakyProjection.class, DeadLetterQueueTest.BatchedProjection.class})
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

    record Written(String text) {
    }

    /** Writes a row per event; a null text breaks the table's NOT NULL, until the projection learns to fix it. */
    @TestComponent
    @ProcessingGroup("batched-projection")
    static class BatchedProjection {
        final AtomicBoolean fixed = new AtomicBoolean(false);
        final ProjectionWrites writes;

        BatchedProjection(JdbcTemplate jdbc) {
            jdbc.execute("CREATE TABLE IF NOT EXISTS note_view (aggregate_id VARCHAR(36) NOT NULL, seq BIGINT NOT NULL,"
                    + " text VARCHAR(32) NOT NULL, PRIMARY KEY (aggregate_id, seq))");
            writes = new ProjectionWrites(jdbc);
        }

        @EventHandler
        void on(Written event, DomainEventMessage<?> message) {
            String text = event.text() == null && fixed.get() ? "fixed" : event.text();
            writes.update(message.getAggregateIdentifier(), "INSERT INTO note_view (aggregate_id, seq, text) VALUES (?, ?, ?)",
                    message.getAggregateIdentifier(), message.getSequenceNumber(), text);
        }
    }

    @Autowired
    EventStore events;
    @Autowired
    FlakyProjection projection;
    @Autowired
    BatchedProjection batched;
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

    /**
     * The statement that breaks the table fails the whole batch when it is sent; the events are tried again one
     * statement at a time, and only the aggregate whose event cannot be written waits in the queue, with its
     * later events (also one stored after it was parked), while the other aggregate's rows are written.
     */
    @Test
    void aWriteThatFailsInABatchParksItsEventAndTheLaterOnesOfItsAggregateOnly() {
        String healthy = UUID.randomUUID().toString();
        String broken = UUID.randomUUID().toString();
        events.publish(new GenericDomainEventMessage<>("Note", healthy, 0, new Written("a1")),
                new GenericDomainEventMessage<>("Note", broken, 0, new Written(null)),
                new GenericDomainEventMessage<>("Note", broken, 1, new Written("b2")),
                new GenericDomainEventMessage<>("Note", healthy, 1, new Written("a2")));

        Eventually.await("the healthy aggregate's rows", Duration.ofSeconds(30),
                () -> texts(healthy).size() == 2 ? Optional.of(true) : Optional.empty());
        events.publish(new GenericDomainEventMessage<>("Note", broken, 2, new Written("b3")));
        Eventually.await("three parked letters", Duration.ofSeconds(30),
                () -> parkedIn("batched-projection", broken) == 3 ? Optional.of(true) : Optional.empty());
        assertThat(texts(healthy)).containsExactly("a1", "a2");
        assertThat(texts(broken)).isEmpty();

        batched.fixed.set(true);
        assertThat(retry.retryAll()).isPositive();

        assertThat(texts(broken)).containsExactly("fixed", "b2", "b3");
        assertThat(parkedIn("batched-projection", broken)).isZero();
    }

    private List<String> texts(String aggregate) {
        return jdbc.queryForList("SELECT text FROM note_view WHERE aggregate_id = ? ORDER BY seq", String.class, aggregate);
    }

    private int parkedIn(String group, String aggregate) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM DeadLetterEntry WHERE processingGroup = ?"
                + " AND aggregateIdentifier = ?", Integer.class, group, aggregate);
    }

    private void awaitParked(String aggregate, int letters) {
        Eventually.await(() -> letters + " parked letters; there are " + parked(aggregate), Duration.ofSeconds(20),
                () -> Optional.of(parked(aggregate)).filter(count -> count >= letters));
    }

    private int parked(String aggregate) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM DeadLetterEntry WHERE processingGroup = 'flaky-projection'"
                + " AND aggregateIdentifier = ?", Integer.class, aggregate);
    }
}
