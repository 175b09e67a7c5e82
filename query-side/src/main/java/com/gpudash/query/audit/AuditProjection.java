package com.gpudash.query.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.gpudash.api.audit.AccessDenied;
import com.gpudash.api.audit.AnonymousCallsDenied;
import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.api.audit.AuditOutcome;
import com.gpudash.api.audit.CommandRefused;
import com.gpudash.api.audit.LoggedOut;
import com.gpudash.api.audit.LoginFailed;
import com.gpudash.api.audit.LoginSucceeded;
import com.gpudash.api.audit.LoginThrottled;
import com.gpudash.api.audit.LoginsThrottled;
import com.gpudash.query.projection.ProjectionWrites;
import com.gpudash.query.web.UtcTime;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The audit log, projected from the event store: the events one command stored make one SUCCESS entry (named
 * after the command, listing the events), and the events of the {@code audit} package (refused commands and
 * calls, logins, logouts) one entry each. Actor, role, source and correlation id come from the events'
 * {@link AuditMetadata}. Written with JDBC in the processor's transaction (rows and token are atomic only on one DataSource in one transaction), one statement per event keyed by
 * the entry, so that a batch of events is written in few JDBC batches ({@link ProjectionWrites}); Axon invokes only
 * the most specific handler of this class for an event, so the catch-all handler sees every other event.
 */
@Component
@ProcessingGroup(AuditProjection.NAME)
class AuditProjection {

    static final String NAME = "audit-projection";
    static final String LOGIN = "Login";
    static final String LOGIN_THROTTLED = "LoginThrottled";
    static final String LOGOUT = "Logout";
    static final String ACCESS_DENIED = "AccessDenied";
    static final String USER = "User";
    static final String ROUTE = "Route";
    private static final int MAX_DETAIL = 4000;
    /** Beyond this, a command's list of events is not grown: the entry already says what matters. */
    private static final int APPEND_BELOW = MAX_DETAIL - 200;

    private static final String INSERT = "INSERT INTO audit_log (id, logged_at, actor, actor_role, action, target_type,"
            + " target_id, outcome, detail, source_ip, correlation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /**
     * Every entry is written by this one statement: a command's later events append their names to its entry,
     * and an entry of its own passes a length of 0, so that writing it again changes nothing. One statement text
     * matters because a rebuild's batch sends each text as one JDBC batch: with two texts, the entries of one
     * millisecond were numbered (seq) in the order of the texts rather than of the events.
     */
    private static final String UPSERT = INSERT + " ON DUPLICATE KEY UPDATE"
            + " detail = CASE WHEN CHAR_LENGTH(detail) < ? THEN CONCAT(detail, ', ', ?) ELSE detail END";

    private final JdbcTemplate jdbc;
    private final ProjectionWrites writes;

    AuditProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.writes = new ProjectionWrites(jdbc);
    }

    @EventHandler
    void on(AccessDenied denied, EventMessage<?> event) {
        insert(event.getIdentifier(), event, AuditMetadata.from(event.getMetaData()), ACCESS_DENIED, ROUTE,
                denied.route(), AuditOutcome.DENIED,
                "HTTP " + denied.status() + " for " + denied.method() + " " + denied.route() + ": " + denied.reason());
    }

    @EventHandler
    void on(AnonymousCallsDenied denied, EventMessage<?> event) {
        insert(event.getIdentifier(), event, AuditMetadata.from(event.getMetaData()), ACCESS_DENIED, ROUTE,
                denied.route(), AuditOutcome.DENIED,
                "HTTP " + denied.status() + " for " + denied.method() + " " + denied.route() + ": " + denied.reason()
                        + " (" + denied.count() + " more times from " + denied.from() + " to " + denied.to() + ")");
    }

    @EventHandler
    void on(CommandRefused refused, EventMessage<?> event) {
        insert(event.getIdentifier(), event, AuditMetadata.from(event.getMetaData()), refused.commandName(),
                refused.targetType(), refused.targetId(), AuditOutcome.FAILURE, refused.reason());
    }

    @EventHandler
    void on(LoginSucceeded login, EventMessage<?> event) {
        insert(event.getIdentifier(), event, AuditMetadata.from(event.getMetaData()), LOGIN, USER,
                login.userId().value(), AuditOutcome.SUCCESS, null);
    }

    /** No target: whether the username exists is exactly what a failed login must not tell. */
    @EventHandler
    void on(LoginFailed login, EventMessage<?> event) {
        insert(event.getIdentifier(), event, AuditMetadata.from(event.getMetaData()), LOGIN, null, null,
                AuditOutcome.FAILURE, login.reason());
    }

    @EventHandler
    void on(LoginThrottled throttled, EventMessage<?> event) {
        insert(event.getIdentifier(), event, AuditMetadata.from(event.getMetaData()), LOGIN_THROTTLED, null, null,
                AuditOutcome.FAILURE, "Too many failed logins; locked until " + throttled.lockedUntil());
    }

    @EventHandler
    void on(LoginsThrottled throttled, EventMessage<?> event) {
        insert(event.getIdentifier(), event, AuditMetadata.from(event.getMetaData()), LOGIN_THROTTLED, null, null,
                AuditOutcome.FAILURE, throttled.count() + " more logins throttled from " + throttled.from() + " to "
                        + throttled.to());
    }

    @EventHandler
    void on(LoggedOut logout, EventMessage<?> event) {
        insert(event.getIdentifier(), event, AuditMetadata.from(event.getMetaData()), LOGOUT, USER,
                logout.userId().value(), AuditOutcome.SUCCESS, null);
    }

    /**
     * Any other event: the outcome of the command that stored it. The first event of a command creates its entry
     * (the target is that event's aggregate); the next ones add their names to its detail, in the same statement.
     * Only the payload's type is needed, which a stored event knows without deserializing its payload: most events
     * come here, and deserializing them was a fifth of a rebuild's time in this projection.
     */
    @EventHandler(payloadType = Object.class)
    void on(EventMessage<?> event) {
        String eventName = event.getPayloadType().getSimpleName();
        Object commandId = event.getMetaData().get(AuditMetadata.COMMAND_ID);
        String targetType = event instanceof DomainEventMessage<?> domain ? domain.getType() : null;
        String targetId = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
        AuditMetadata audit = AuditMetadata.from(event.getMetaData());
        if (commandId == null) {
            // Published by the application itself rather than stored by a command.
            insert(event.getIdentifier(), event, audit, eventName, targetType, targetId, AuditOutcome.SUCCESS, eventName);
            return;
        }
        Object commandName = event.getMetaData().get(AuditMetadata.COMMAND_NAME);
        List<Object> values = values(commandId.toString(), event, audit,
                commandName == null ? eventName : commandName.toString(), targetType, targetId, AuditOutcome.SUCCESS,
                eventName);
        values.add(APPEND_BELOW);
        values.add(eventName);
        writes.update(commandId.toString(), UPSERT, values.toArray());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM audit_log");
    }

    private void insert(String id, EventMessage<?> event, AuditMetadata audit, String action, String targetType,
                        String targetId, AuditOutcome outcome, String detail) {
        List<Object> values = values(id, event, audit, action, targetType, targetId, outcome, detail);
        values.add(0);
        values.add("");
        writes.update(id, UPSERT, values.toArray());
    }

    /** The values of {@link #INSERT}, in its order. */
    private static List<Object> values(String id, EventMessage<?> event, AuditMetadata audit, String action,
                                       String targetType, String targetId, AuditOutcome outcome, String detail) {
        Instant at = event.getTimestamp();
        return new ArrayList<>(Arrays.asList(id, UtcTime.column(at), cut(audit.actorUsername(), 254),
                cut(audit.actorRole(), 16), cut(action, 128), cut(targetType, 64), cut(targetId, 512), outcome.name(),
                cut(detail, MAX_DETAIL), cut(audit.sourceIp(), 64), cut(audit.correlationId(), 64)));
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
