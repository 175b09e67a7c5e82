package com.gpudash.query.audit;

import static com.gpudash.query.ReadModelSchema.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.gpudash.api.audit.AccessDenied;
import com.gpudash.api.audit.AnonymousCallsDenied;
import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.api.audit.CommandRefused;
import com.gpudash.api.audit.LoggedOut;
import com.gpudash.api.audit.LoginFailed;
import com.gpudash.api.audit.LoginSucceeded;
import com.gpudash.api.audit.LoginThrottled;
import com.gpudash.api.audit.LoginsThrottled;
import com.gpudash.api.server.ServerAdded;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.server.ServerStatusChanged;
import com.gpudash.api.user.UserDisabled;
import com.gpudash.api.user.UserId;
import com.gpudash.query.ReadModelSchema;
import com.gpudash.query.projection.ProjectionDriver;
import org.assertj.core.groups.Tuple;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Given these stored events and their audit metadata, these rows of audit_log. */
class AuditProjectionTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00.123456Z");
    private static final Instant LATER = Instant.parse("2026-03-01T10:00:01.5Z");
    private static final AuditMetadata ADMIN = new AuditMetadata(UUID.randomUUID().toString(), "root", "ADMIN",
            "10.0.0.9", "req-1");
    private static final AuditMetadata ANONYMOUS = new AuditMetadata(null, null, null, "203.0.113.7", "req-2");

    private final JdbcTemplate jdbc = ReadModelSchema.h2With("V30__audit_log.sql", "V31__audit_log_filter_indexes.sql");
    private final ProjectionDriver projection = new ProjectionDriver(new AuditProjection(jdbc));
    private final ServerId alpha = ServerId.random();

    @Test
    void theEventsOneCommandStoredAreOneSuccessEntryNamedAfterTheCommandListingThem() {
        String command = UUID.randomUUID().toString();

        projection.handle(domainEvent(alpha, 0, added(), ofCommand(ADMIN, command, "AddServer"), AT),
                domainEvent(alpha, 1, online(), ofCommand(ADMIN, command, "AddServer"), LATER));

        assertThat(entries()).containsExactly(tuple(command, stored(AT), "root", "ADMIN", "AddServer", "Server",
                alpha.value(), "SUCCESS", "ServerAdded, ServerStatusChanged", "10.0.0.9", "req-1"));
    }

    @Test
    void aCommandsEventsInSeparateBatchesStillMakeOneEntry() {
        String command = UUID.randomUUID().toString();

        projection.handle(domainEvent(alpha, 0, added(), ofCommand(ADMIN, command, "AddServer"), AT));
        projection.handle(domainEvent(alpha, 1, online(), ofCommand(ADMIN, command, "AddServer"), LATER));

        assertThat(entries()).extracting(row -> row.toList().get(8))
                .containsExactly("ServerAdded, ServerStatusChanged");
    }

    @Test
    void aCommandWithoutANameIsNamedAfterItsFirstEvent() {
        String command = UUID.randomUUID().toString();
        Map<String, Object> metadata = new HashMap<>(ADMIN.asMap());
        metadata.put(AuditMetadata.COMMAND_ID, command);

        projection.handle(domainEvent(alpha, 0, added(), metadata, AT), domainEvent(alpha, 1, online(), metadata, AT));

        assertThat(entries()).extracting(row -> row.toList().get(4)).containsExactly("ServerAdded");
    }

    @Test
    void anEventNoCommandStoredIsAnEntryOfItsOwnNamedAfterIt() {
        EventMessage<?> published = new GenericEventMessage<>(UUID.randomUUID().toString(), online(),
                AuditMetadata.system("req-9").asMap(), AT);
        EventMessage<?> storedBySystem = domainEvent(alpha, 3, online(), AuditMetadata.system("req-9").asMap(), LATER);

        projection.handle(published, storedBySystem);

        assertThat(entries()).containsExactly(
                tuple(published.getIdentifier(), stored(AT), "system", "system", "ServerStatusChanged", null, null,
                        "SUCCESS", "ServerStatusChanged", null, "req-9"),
                tuple(storedBySystem.getIdentifier(), stored(LATER), "system", "system", "ServerStatusChanged",
                        "Server", alpha.value(), "SUCCESS", "ServerStatusChanged", null, "req-9"));
    }

    @Test
    void refusedCallsAreDeniedEntriesOfTheRouteAndAnonymousFloodsSayHowManyMore() {
        Instant from = Instant.parse("2026-03-01T09:59:00Z");
        EventMessage<?> denied = event(new AccessDenied("GET", "/api/admin/logs", 403, "not an admin"), ADMIN, AT);
        EventMessage<?> flood = event(new AnonymousCallsDenied("POST", "*", 401, "no session", 41, from, AT),
                ANONYMOUS, LATER);

        projection.handle(denied, flood);

        assertThat(entries()).containsExactly(
                tuple(denied.getIdentifier(), stored(AT), "root", "ADMIN", "AccessDenied", "Route", "/api/admin/logs",
                        "DENIED", "HTTP 403 for GET /api/admin/logs: not an admin", "10.0.0.9", "req-1"),
                tuple(flood.getIdentifier(), stored(LATER), null, null, "AccessDenied", "Route", "*", "DENIED",
                        "HTTP 401 for POST *: no session (41 more times from " + from + " to " + AT + ")",
                        "203.0.113.7", "req-2"));
    }

    @Test
    void aRefusedCommandIsAFailureEntryOfItsTargetWithTheReason() {
        UserId bob = UserId.random();
        EventMessage<?> refused = event(new CommandRefused("ApproveUser", "User", bob.value(), "already active"),
                ADMIN, AT);

        projection.handle(refused);

        assertThat(entries()).containsExactly(tuple(refused.getIdentifier(), stored(AT), "root", "ADMIN",
                "ApproveUser", "User", bob.value(), "FAILURE", "already active", "10.0.0.9", "req-1"));
    }

    /** A failed or throttled login names no target: whether the username exists is what it must not tell. */
    @Test
    void loginsAndLogoutsAreEntriesOfTheirOwnAndAFailedLoginNamesNoUser() {
        UserId ann = UserId.random();
        AuditMetadata asAnn = new AuditMetadata(ann.value(), "ann", "REGULAR", "10.0.0.5", "req-3");
        AuditMetadata asSomeone = new AuditMetadata(null, "mallory", null, "10.0.0.6", "req-4");
        Instant until = Instant.parse("2026-03-01T10:15:00Z");
        EventMessage<?> login = event(new LoginSucceeded(ann, "ann"), asAnn, AT);
        EventMessage<?> failed = event(new LoginFailed("mallory", "Invalid username or password"), asSomeone, AT);
        EventMessage<?> throttled = event(new LoginThrottled("mallory", until), asSomeone, LATER);
        EventMessage<?> throttledAgain = event(new LoginsThrottled("mallory", 41, AT, LATER),
                new AuditMetadata(null, "mallory", null, "10.0.0.6", "req-5"), LATER);
        EventMessage<?> logout = event(new LoggedOut(ann, "ann"), asAnn, LATER);

        projection.handle(login, failed, throttled, throttledAgain, logout);

        assertThat(entries()).containsExactly(
                tuple(login.getIdentifier(), stored(AT), "ann", "REGULAR", "Login", "User", ann.value(), "SUCCESS",
                        null, "10.0.0.5", "req-3"),
                tuple(failed.getIdentifier(), stored(AT), "mallory", null, "Login", null, null, "FAILURE",
                        "Invalid username or password", "10.0.0.6", "req-4"),
                tuple(throttled.getIdentifier(), stored(LATER), "mallory", null, "LoginThrottled", null, null,
                        "FAILURE", "Too many failed logins; locked until " + until, "10.0.0.6", "req-4"),
                tuple(throttledAgain.getIdentifier(), stored(LATER), "mallory", null, "LoginThrottled", null, null,
                        "FAILURE", "41 more logins throttled from " + AT + " to " + LATER, "10.0.0.6", "req-5"),
                tuple(logout.getIdentifier(), stored(LATER), "ann", "REGULAR", "Logout", "User", ann.value(),
                        "SUCCESS", null, "10.0.0.5", "req-3"));
    }

    @Test
    void aValueLongerThanItsColumnIsCutWithAnEllipsis() {
        String typed = "m".repeat(300);
        EventMessage<?> failed = event(new LoginFailed(typed, "x".repeat(5000)),
                new AuditMetadata(null, typed, null, null, null), AT);

        projection.handle(failed);

        assertThat(entries()).extracting(row -> row.toList().get(2), row -> row.toList().get(8))
                .containsExactly(tuple("m".repeat(253) + "…", "x".repeat(3999) + "…"));
    }

    /** Beyond 3800 characters the entry already says what matters, and the column holds 4000. */
    @Test
    void aCommandWithVeryManyEventsStopsListingThemBeforeTheColumnIsFull() {
        String command = UUID.randomUUID().toString();
        List<EventMessage<?>> events = new ArrayList<>();
        for (int sequence = 0; sequence < 1000; sequence++) {
            events.add(domainEvent(alpha, sequence, online(), ofCommand(ADMIN, command, "RecordServerStatus"), AT));
        }

        projection.handle(events.toArray(EventMessage<?>[]::new));

        // "ServerStatusChanged" is 19 characters and each one more adds 21: the first length from 3800 on is 3820.
        String detail = jdbc.queryForObject("SELECT detail FROM audit_log", String.class);
        assertThat(detail).hasSize(3820).startsWith("ServerStatusChanged, ServerStatusChanged")
                .endsWith(", ServerStatusChanged");
    }

    @Test
    void entriesOfTheSameMillisecondInOneBatchKeepTheOrderOfTheirEvents() {
        UserId ann = UserId.random();
        projection.handle(
                new GenericEventMessage<>(UUID.randomUUID().toString(), new LoginSucceeded(ann, "ann"), Map.of(), AT),
                new GenericDomainEventMessage<>("User", ann.value(), 3, new UserDisabled(ann),
                        ofCommand(ADMIN, UUID.randomUUID().toString(), "DisableUser"), UUID.randomUUID().toString(), AT),
                new GenericEventMessage<>(UUID.randomUUID().toString(), new LoggedOut(ann, "ann"), Map.of(), AT));

        assertThat(jdbc.queryForList("SELECT action FROM audit_log ORDER BY logged_at DESC, seq DESC", String.class))
                .containsExactly("Logout", "DisableUser", "Login");
    }

    @Test
    void anEntryOfItsOwnWrittenAgainChangesNothing() {
        String id = UUID.randomUUID().toString();
        UserId ann = UserId.random();
        projection.handle(new GenericEventMessage<>(id, new LoginSucceeded(ann, "ann"), Map.of(), AT));
        List<Map<String, Object>> once = jdbc.queryForList("SELECT action, detail FROM audit_log");
        projection.handle(new GenericEventMessage<>(id, new LoginSucceeded(ann, "ann"), Map.of(), AT));

        assertThat(jdbc.queryForList("SELECT action, detail FROM audit_log")).hasSize(1).isEqualTo(once);
    }

    @Test
    void aResetEmptiesTheLog() {
        projection.handle(event(new LoginFailed("x", "no"), ANONYMOUS, AT),
                domainEvent(alpha, 0, added(), ofCommand(ADMIN, UUID.randomUUID().toString(), "AddServer"), AT));

        projection.reset();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_log", Integer.class)).isZero();
    }

    private ServerAdded added() {
        return new ServerAdded(alpha, "alpha", new ServerConnection("alpha.lab", "tcp://alpha.lab:2375", 22, "gpu",
                null), 4);
    }

    private ServerStatusChanged online() {
        return new ServerStatusChanged(alpha, ServerStatus.UNKNOWN, ServerStatus.ONLINE, null);
    }

    private static Map<String, Object> ofCommand(AuditMetadata audit, String commandId, String commandName) {
        Map<String, Object> metadata = new HashMap<>(audit.asMap());
        metadata.put(AuditMetadata.COMMAND_ID, commandId);
        metadata.put(AuditMetadata.COMMAND_NAME, commandName);
        return metadata;
    }

    private static EventMessage<?> domainEvent(ServerId server, long sequence, Object payload, Map<String, ?> metadata,
                                               Instant at) {
        return new GenericDomainEventMessage<>("Server", server.value(), sequence, payload, metadata,
                UUID.randomUUID().toString(), at);
    }

    private static EventMessage<?> event(Object payload, AuditMetadata audit, Instant at) {
        return new GenericEventMessage<>(UUID.randomUUID().toString(), payload, audit.asMap(), at);
    }

    /** Every row but its seq, in the order they were projected. */
    private List<Tuple> entries() {
        return jdbc.query("SELECT * FROM audit_log ORDER BY seq", (row, n) -> tuple(row.getString("id"),
                row.getTimestamp("logged_at"), row.getString("actor"), row.getString("actor_role"),
                row.getString("action"), row.getString("target_type"), row.getString("target_id"),
                row.getString("outcome"), row.getString("detail"), row.getString("source_ip"),
                row.getString("correlation_id")));
    }
}
