package com.gpudash.query.projection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectionWritesTest {

    private static final String CREATE = "INSERT INTO t (id, name) VALUES (?, ?)";
    private static final String RENAME = "UPDATE t SET name = ? WHERE id = ?";
    private static final String DELETE = "DELETE FROM t WHERE id = ?";

    /** What reached the database: one entry per round trip, a statement and its rows of arguments. */
    private final List<String> sent = new ArrayList<>();
    private boolean failing;
    private final JdbcTemplate jdbc = new JdbcTemplate() {
        @Override
        public int update(String sql, Object... args) {
            sent.add(sql.substring(0, 6) + " " + Arrays.toString(args));
            return 1;
        }

        @Override
        public int[] batchUpdate(String sql, List<Object[]> batchArgs) {
            if (failing) {
                throw new DataIntegrityViolationException("a row breaks a constraint");
            }
            sent.add(sql.substring(0, 6) + " " + batchArgs.stream().map(Arrays::toString).toList());
            return new int[batchArgs.size()];
        }
    };
    private final ProjectionWrites writes = new ProjectionWrites(jdbc);

    @Test
    void aBatchOfEventsIsWrittenWhenItCommitsOneRoundTripPerStatementAndRound() {
        inBatchOfEvents(3, event -> {
            writes.update("u1", CREATE, "u1", "ann");
            writes.update("u2", CREATE, "u2", "bob");
            assertThat(sent).isEmpty();
            // u1's rename goes in the round after its insert, so the row exists when it is renamed.
            writes.update("u1", RENAME, "anna", "u1");
            writes.update("u3", CREATE, "u3", "cy");
            writes.update("u2", RENAME, "bobby", "u2");
        }, List.of(0));

        assertThat(sent).containsExactly(
                "INSERT [[u1, ann], [u2, bob], [u3, cy]]",
                "UPDATE [[anna, u1], [bobby, u2]]");
    }

    @Test
    void eachKeysStatementsKeepTheirOrderAcrossRounds() {
        inBatchOfEvents(1, event -> {
            writes.update("u1", CREATE, "u1", "ann");
            writes.update("u1", RENAME, "anna", "u1");
            writes.update("u1", RENAME, "annie", "u1");
            writes.update("u1", DELETE, "u1");
            writes.update("u1", CREATE, "u1", "ann again");
            writes.update("u2", CREATE, "u2", "bob");
            writes.update("u2", DELETE, "u2");
        }, List.of());

        assertThat(sent).containsExactly(
                "INSERT [[u1, ann], [u2, bob]]",
                "UPDATE [[anna, u1], [annie, u1]]",
                "DELETE [[u2]]",
                "DELETE [[u1]]",
                "INSERT [[u1, ann again]]");
    }

    @Test
    void theSameStatementForManyEventsIsOneJdbcBatch() {
        inBatchOfEvents(100, event -> writes.update("u" + event, CREATE, "u" + event, "n"), List.of());

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).startsWith("INSERT [[u0, n], [u1, n]").endsWith("[u99, n]]");
    }

    @Test
    void outsideABatchOfEventsAWriteIsSentAtOnce() {
        writes.update("u1", CREATE, "u1", "ann");
        assertThat(sent).containsExactly("INSERT [u1, ann]");

        DefaultUnitOfWork.startAndGet(message(0)).execute(() -> writes.update("u2", CREATE, "u2", "bob"));
        assertThat(sent).containsExactly("INSERT [u1, ann]", "INSERT [u2, bob]");
    }

    /**
     * A batch that fails as it is sent fails the whole unit of work (so the processor rolls back and tries the
     * events again); then each write goes out at once, so the failing event's own handler sees the failure and the
     * dead-letter queue can park it; after a batch that commits, writes are batched again.
     */
    @Test
    void afterAFailedBatchTheNextBatchOfEventsIsWrittenStatementByStatement() {
        failing = true;
        assertThatThrownBy(() -> inBatchOfEvents(2, event -> writes.update("u" + event, CREATE, "u" + event, "n"),
                List.of())).isInstanceOf(DataIntegrityViolationException.class);
        failing = false;

        inBatchOfEvents(2, event -> writes.update("u" + event, CREATE, "u" + event, "n"), List.of());
        assertThat(sent).containsExactly("INSERT [u0, n]", "INSERT [u1, n]");

        sent.clear();
        inBatchOfEvents(2, event -> writes.update("u" + event, CREATE, "u" + event, "n"), List.of());
        assertThat(sent).containsExactly("INSERT [[u0, n], [u1, n]]");
    }

    /** Runs {@code handler} for each of {@code events} events in one batching unit of work, as a processor does. */
    private void inBatchOfEvents(int events, Consumer<Integer> handler, List<Integer> only) {
        List<EventMessage<?>> messages = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            messages.add(message(i));
        }
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(messages);
        batch.executeWithResult(() -> {
            int event = (Integer) batch.getMessage().getPayload();
            if (only.isEmpty() || only.contains(event)) {
                handler.accept(event);
            }
            return null;
        });
        if (batch.getExecutionResult().isExceptionResult()) {
            throw (RuntimeException) batch.getExecutionResult().getExceptionResult();
        }
    }

    private static EventMessage<?> message(int event) {
        return GenericEventMessage.asEventMessage(event);
    }
}
