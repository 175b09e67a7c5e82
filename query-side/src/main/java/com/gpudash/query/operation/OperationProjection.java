package com.gpudash.query.operation;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.api.live.LiveChange;
import com.gpudash.api.operation.OperationFailed;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.operation.OperationRunning;
import com.gpudash.api.operation.OperationStarted;
import com.gpudash.api.operation.OperationStatus;
import com.gpudash.api.operation.OperationSucceeded;
import com.gpudash.api.user.UserId;
import com.gpudash.query.live.LiveChanges;
import com.gpudash.query.projection.ProjectionWrites;
import com.gpudash.query.web.UtcTime;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes the operations read model with JDBC in the event handler's transaction (rows and token are atomic only on one DataSource in one transaction); every statement is keyed by
 * its operation ({@link ProjectionWrites}).
 */
@Component
@ProcessingGroup("operation-projection")
class OperationProjection {

    private final JdbcTemplate jdbc;
    private final ProjectionWrites writes;
    private final ObjectMapper json;
    private final LiveChanges live;

    OperationProjection(JdbcTemplate jdbc, ObjectMapper json, LiveChanges live) {
        this.jdbc = jdbc;
        this.writes = new ProjectionWrites(jdbc);
        this.json = json;
        this.live = live;
    }

    @EventHandler
    void on(OperationStarted event, @Timestamp Instant at) {
        writes.update(event.operationId(), "INSERT INTO operation_view (id, type, status, target, owner_user_id,"
                        + " started_at) VALUES (?, ?, ?, ?, ?, ?)",
                event.operationId().value(), event.type().name(), OperationStatus.PENDING.name(),
                write(event.target()), event.ownerUserId(), UtcTime.column(at));
        changed(event.operationId());
    }

    @EventHandler
    void on(OperationRunning event) {
        writes.update(event.operationId(), "UPDATE operation_view SET status = ? WHERE id = ?",
                OperationStatus.RUNNING.name(), event.operationId().value());
        changed(event.operationId());
    }

    @EventHandler
    void on(OperationSucceeded event, @Timestamp Instant at) {
        writes.update(event.operationId(), "UPDATE operation_view SET status = ?, result = ?, finished_at = ?"
                        + " WHERE id = ?", OperationStatus.SUCCEEDED.name(), write(event.result()), UtcTime.column(at),
                event.operationId().value());
        changed(event.operationId());
    }

    @EventHandler
    void on(OperationFailed event, @Timestamp Instant at) {
        writes.update(event.operationId(), "UPDATE operation_view SET status = ?, error = ?, finished_at = ?"
                        + " WHERE id = ?",
                OperationStatus.FAILED.name(), event.error(), UtcTime.column(at), event.operationId().value());
        changed(event.operationId());
    }

    /** Only the start names the operation's owner; the row keeps it. */
    private void changed(OperationId operationId) {
        if (live.replaying()) {
            return;
        }
        writes.flush();
        jdbc.query("SELECT owner_user_id FROM operation_view WHERE id = ?",
                (row, n) -> row.getString("owner_user_id"), operationId.value())
                .forEach(owner -> live.changed(new LiveChange(LiveChange.Kind.OPERATION, operationId.value(),
                        owner == null ? null : UserId.of(owner))));
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM operation_view");
    }

    private String write(Object value) {
        try {
            return value == null ? null : json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an operation's map is always serializable", e);
        }
    }
}
