package com.gpudash.query.user;

import java.time.Instant;

import com.gpudash.api.live.LiveChange;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.UserApproved;
import com.gpudash.api.user.UserCreated;
import com.gpudash.api.user.UserDeleted;
import com.gpudash.api.user.UserDisabled;
import com.gpudash.api.user.UserEnabled;
import com.gpudash.api.user.UserId;
import com.gpudash.api.user.UserProfileUpdated;
import com.gpudash.api.user.UserRegistered;
import com.gpudash.api.user.UserRejected;
import com.gpudash.api.user.UserRoleChanged;
import com.gpudash.api.user.UserStatus;
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
 * The users read model. Written with JDBC in the tracking processor's transaction, so a row and the processor's
 * token move together (rows and token are atomic only on one DataSource in one transaction); read with R2DBC by {@link UserQueryController}. Every write is idempotent, so a
 * replay from the start rebuilds the table. One statement per event, keyed by the user, so that a batch of events
 * is written in few JDBC batches ({@link ProjectionWrites}).
 */
@Component
@ProcessingGroup("users-projection")
class UsersProjection {

    private final JdbcTemplate jdbc;
    private final ProjectionWrites writes;
    private final LiveChanges live;

    UsersProjection(JdbcTemplate jdbc, LiveChanges live) {
        this.jdbc = jdbc;
        this.writes = new ProjectionWrites(jdbc);
        this.live = live;
    }

    @EventHandler
    void on(UserRegistered event, @Timestamp Instant at) {
        insert(event.userId(), event.username(), event.email(), event.fullName(), Role.REGULAR,
                UserStatus.PENDING, at);
        changed(event.userId());
    }

    @EventHandler
    void on(UserCreated event, @Timestamp Instant at) {
        insert(event.userId(), event.username(), event.email(), event.fullName(), event.role(),
                UserStatus.ACTIVE, at);
        changed(event.userId());
    }

    @EventHandler
    void on(UserApproved event, @Timestamp Instant at) {
        writes.update(event.userId(), "UPDATE users_view SET status = ?, approved_at = ?, approved_by = ?"
                        + " WHERE user_id = ?",
                UserStatus.ACTIVE.name(), UtcTime.column(at),
                event.approvedBy() == null ? null : event.approvedBy().value(), event.userId().value());
        changed(event.userId());
    }

    @EventHandler
    void on(UserRejected event) {
        status(event.userId(), UserStatus.REJECTED);
        changed(event.userId());
    }

    @EventHandler
    void on(UserDisabled event) {
        status(event.userId(), UserStatus.DISABLED);
        changed(event.userId());
    }

    @EventHandler
    void on(UserEnabled event) {
        status(event.userId(), UserStatus.ACTIVE);
        changed(event.userId());
    }

    @EventHandler
    void on(UserDeleted event) {
        status(event.userId(), UserStatus.DELETED);
        changed(event.userId());
    }

    @EventHandler
    void on(UserRoleChanged event) {
        writes.update(event.userId(), "UPDATE users_view SET role = ? WHERE user_id = ?", event.role().name(),
                event.userId().value());
        changed(event.userId());
    }

    @EventHandler
    void on(UserProfileUpdated event) {
        // A field the update leaves out (null) keeps its value.
        // The search text is computed from the new values themselves: H2 evaluates every assignment on the row as
        // it was, MariaDB left to right, so naming the columns would differ between them.
        writes.update(event.userId(), "UPDATE users_view SET email = COALESCE(?, email),"
                + " full_name = COALESCE(?, full_name),"
                + " search_text = " + searchText("username", "COALESCE(?, email)", "COALESCE(?, full_name)")
                + " WHERE user_id = ?",
                event.email(), event.fullName(), event.email(), event.fullName(), event.userId().value());
        changed(event.userId());
    }

    private void changed(UserId userId) {
        live.changed(new LiveChange(LiveChange.Kind.USER, userId.value(), userId));
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM users_view");
    }

    /**
     * What the users page's search (q) looks in: the name, e-mail and full name lower-cased in one column, by the
     * database's LOWER as the search lower-cases nothing else on its side of the LIKE (V53 fills it the same way).
     * One LIKE on it costs far less than three LOWER()s and LIKEs per row.
     */
    private static String searchText(String username, String email, String fullName) {
        return "LOWER(CONCAT_WS(' ', " + username + ", " + email + ", " + fullName + "))";
    }

    private void insert(UserId userId, String username, String email, String fullName, Role role, UserStatus status,
                        Instant at) {
        // A replayed creation finds its row already there, and starts it afresh.
        writes.update(userId, "INSERT INTO users_view (user_id, username, email, full_name, role, status, created_at,"
                        + " search_text) VALUES (?, ?, ?, ?, ?, ?, ?, " + searchText("?", "?", "?") + ")"
                        + " ON DUPLICATE KEY UPDATE username = VALUES(username),"
                        + " email = VALUES(email), full_name = VALUES(full_name), role = VALUES(role),"
                        + " status = VALUES(status), created_at = VALUES(created_at), approved_at = NULL,"
                        + " approved_by = NULL, search_text = VALUES(search_text)",
                userId.value(), username, email, fullName, role.name(), status.name(), UtcTime.column(at),
                username, email, fullName);
    }

    private void status(UserId userId, UserStatus status) {
        writes.update(userId, "UPDATE users_view SET status = ? WHERE user_id = ?", status.name(), userId.value());
    }
}
