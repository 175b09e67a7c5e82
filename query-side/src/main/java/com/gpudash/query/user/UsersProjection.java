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
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The users read model. Written with JDBC in the tracking processor's transaction, so a row and the processor's token
 * move together (an R2DBC write would commit apart from the token); read with R2DBC by {@link UserQueryController}.
 * Every write is idempotent, so a replay from the start rebuilds the table.
 */
@Component
@ProcessingGroup("users-projection")
class UsersProjection {

    private final JdbcTemplate jdbc;
    private final LiveChanges live;

    UsersProjection(JdbcTemplate jdbc, LiveChanges live) {
        this.jdbc = jdbc;
        this.live = live;
    }

    @EventHandler
    void on(UserRegistered event, @Timestamp Instant at) {
        insert(event.userId().value(), event.username(), event.email(), event.fullName(), Role.REGULAR,
                UserStatus.PENDING, at);
        changed(event.userId());
    }

    @EventHandler
    void on(UserCreated event, @Timestamp Instant at) {
        insert(event.userId().value(), event.username(), event.email(), event.fullName(), event.role(),
                UserStatus.ACTIVE, at);
        changed(event.userId());
    }

    @EventHandler
    void on(UserApproved event, @Timestamp Instant at) {
        jdbc.update("UPDATE users_view SET status = ?, approved_at = ?, approved_by = ? WHERE user_id = ?",
                UserStatus.ACTIVE.name(), at.toEpochMilli(),
                event.approvedBy() == null ? null : event.approvedBy().value(), event.userId().value());
        changed(event.userId());
    }

    @EventHandler
    void on(UserRejected event) {
        status(event.userId().value(), UserStatus.REJECTED);
        changed(event.userId());
    }

    @EventHandler
    void on(UserDisabled event) {
        status(event.userId().value(), UserStatus.DISABLED);
        changed(event.userId());
    }

    @EventHandler
    void on(UserEnabled event) {
        status(event.userId().value(), UserStatus.ACTIVE);
        changed(event.userId());
    }

    @EventHandler
    void on(UserDeleted event) {
        status(event.userId().value(), UserStatus.DELETED);
        changed(event.userId());
    }

    @EventHandler
    void on(UserRoleChanged event) {
        jdbc.update("UPDATE users_view SET role = ? WHERE user_id = ?", event.role().name(), event.userId().value());
        changed(event.userId());
    }

    @EventHandler
    void on(UserProfileUpdated event) {
        if (event.email() != null) {
            jdbc.update("UPDATE users_view SET email = ? WHERE user_id = ?", event.email(), event.userId().value());
        }
        if (event.fullName() != null) {
            jdbc.update("UPDATE users_view SET full_name = ? WHERE user_id = ?",
                    event.fullName(), event.userId().value());
        }
        changed(event.userId());
    }

    private void changed(UserId userId) {
        live.changed(new LiveChange(LiveChange.Kind.USER, userId.value(), userId));
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM users_view");
    }

    private void insert(String userId, String username, String email, String fullName, Role role, UserStatus status,
                        Instant at) {
        // A replayed creation finds its row already there.
        jdbc.update("DELETE FROM users_view WHERE user_id = ?", userId);
        jdbc.update("INSERT INTO users_view (user_id, username, email, full_name, role, status, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                userId, username, email, fullName, role.name(), status.name(), at.toEpochMilli());
    }

    private void status(String userId, UserStatus status) {
        jdbc.update("UPDATE users_view SET status = ? WHERE user_id = ?", status.name(), userId);
    }
}
