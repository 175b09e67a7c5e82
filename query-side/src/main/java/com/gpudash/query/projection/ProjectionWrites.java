package com.gpudash.query.projection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A projection's writes to its read model. A tracking processor hands its projections up to a batch of events in
 * one transaction (a rebuild: thousands per second); one JDBC round trip per statement would cost more than all
 * the rest of the handling. So, inside such a batch, the statements are held and sent as JDBC batches when the
 * batch is about to commit: still in the transaction that stores the processor's token, so rows and token move
 * together (rows and token are atomic only on one DataSource in one transaction). Anywhere else (a dead letter retried, a handler called directly) they run at once.
 * <p>
 * Every statement names the row it writes by a key (the aggregate's id, usually). Statements wait in rounds: a
 * key's first statement in round 0, each later one in the round after its previous one (or in the same round
 * when it repeats the previous one's text); the rounds are sent in order, each as one JDBC batch per statement
 * text. So a batch of events that creates many rows and then updates them costs two round trips, not one per
 * change of statement; statements are reordered, but only across keys. The rule this relies on: a statement
 * writes only the rows of its key, and reads nothing that another key's statements write. Where two keys meet at
 * a unique constraint after all (a user's route row, written by their old and their new container), the batch
 * fails and is written again statement by statement, in the events' order (below).
 * <p>
 * A batch that fails when it is sent rolls the whole transaction back, and the processor tries the events again;
 * this projection then writes statement by statement until a batch of events commits, so the event that cannot be
 * written fails in its own handler and is parked in the dead-letter queue with the later events of its aggregate.
 */
public final class ProjectionWrites {

    private final JdbcTemplate jdbc;
    private final String resource = "ProjectionWrites@" + Integer.toHexString(System.identityHashCode(this));
    private volatile boolean oneByOne;

    public ProjectionWrites(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes rows of {@code key}: now, or with the other writes of this batch of events before it commits. */
    public void update(Object key, String sql, Object... args) {
        Pending pending = pending();
        if (pending == null) {
            jdbc.update(sql, args);
        } else {
            pending.add(key, sql, args);
        }
    }

    /** Sends what is waiting, for a handler that reads rows which earlier events of its batch wrote. */
    public void flush() {
        Pending pending = pending();
        if (pending != null) {
            pending.send();
        }
    }

    private Pending pending() {
        if (!CurrentUnitOfWork.isStarted()) {
            return null;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        if (!(batch instanceof BatchingUnitOfWork<?>)) {
            return null;
        }
        if (oneByOne) {
            batch.getOrComputeResource(resource + ".oneByOne", key -> {
                batch.afterCommit(committed -> oneByOne = false);
                return Boolean.TRUE;
            });
            return null;
        }
        return batch.getOrComputeResource(resource, key -> {
            Pending created = new Pending();
            batch.onPrepareCommit(committing -> {
                try {
                    created.send();
                } catch (RuntimeException failure) {
                    oneByOne = true;
                    throw failure;
                }
            });
            return created;
        });
    }

    private final class Pending {

        /** Round by round: each statement text to the arguments waiting for it, in the order they came. */
        private final List<Map<String, List<Object[]>>> rounds = new ArrayList<>();
        /** Each waiting key to the round and text of its latest statement. */
        private final Map<Object, Latest> latest = new HashMap<>();

        void add(Object key, String sql, Object[] args) {
            Latest previous = latest.get(key);
            int round = previous == null ? 0 : previous.sql().equals(sql) ? previous.round() : previous.round() + 1;
            if (round == rounds.size()) {
                rounds.add(new LinkedHashMap<>());
            }
            rounds.get(round).computeIfAbsent(sql, text -> new ArrayList<>()).add(args);
            latest.put(key, new Latest(round, sql));
        }

        void send() {
            for (Map<String, List<Object[]>> round : rounds) {
                round.forEach(jdbc::batchUpdate);
            }
            rounds.clear();
            latest.clear();
        }
    }

    private record Latest(int round, String sql) {
    }
}
