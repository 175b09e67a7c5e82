package com.gpudash.infra.persistence;

import java.util.List;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells {@link AcknowledgedWrites} the event-store position of the last event of every unit of work that stores
 * events, once it has committed and before its caller is answered (the command bus commits on the caller's thread).
 * The position is the event's global index, looked up by its identifier (a unique index) right after the commit.
 */
@Component
class CommittedPositions {

    private static final String LAST_EVENT = CommittedPositions.class.getName() + ".lastEvent";

    CommittedPositions(EventStore eventStore, JdbcTemplate jdbc, AcknowledgedWrites acknowledged) {
        eventStore.registerDispatchInterceptor((List<? extends EventMessage<?>> events) -> {
            if (!events.isEmpty() && CurrentUnitOfWork.isStarted()) {
                UnitOfWork<?> root = CurrentUnitOfWork.get().root();
                String previous = root.resources().put(LAST_EVENT, events.get(events.size() - 1).getIdentifier())
                        instanceof String known ? known : null;
                if (previous == null) {
                    root.afterCommit(committed -> {
                        String last = (String) committed.resources().get(LAST_EVENT);
                        jdbc.query("SELECT globalIndex FROM DomainEventEntry WHERE eventIdentifier = ?",
                                row -> {
                                    acknowledged.committed(row.getLong(1));
                                }, last);
                    });
                }
            }
            return (index, event) -> event;
        });
    }
}
