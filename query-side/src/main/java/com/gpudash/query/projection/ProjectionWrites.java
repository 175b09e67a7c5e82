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
 * Every statement names the row it writes by a key (the aggregate's id, usually). The same statement text for
 * different events is sent as one JDBC batch, so statements are reordered, but only across keys: a statement
 * for a key that has a different statement waiting first sends everything waiting. The rule this relies on: a
 * statement writes only the rows of its key, and reads nothing that another key's statements write.
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

        /** Statement text to the arguments waiting for it, in the order they came. */
        private final Map<String, List<Object[]>> statements = new LinkedHashMap<>();
        /** Each waiting key to the one statement text it waits in. */
        private final Map<Object, String> keys = new HashMap<>();

        void add(Object key, String sql, Object[] args) {
            String waiting = keys.putIfAbsent(key, sql);
            if (waiting != null && !waiting.equals(sql)) {
                send();
                keys.put(key, sql);
            }
            statements.computeIfAbsent(sql, text -> new ArrayList<>()).add(args);
        }

        void send() {
            statements.forEach(jdbc::batchUpdate);
            statements.clear();
            keys.clear();
        }
    }
}
