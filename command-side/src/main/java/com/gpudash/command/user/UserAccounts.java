package com.gpudash.command.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import com.gpudash.api.DomainException;
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
import com.gpudash.api.user.UserView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The command side's table of accounts: who exists, under which username and e-mail, with which role and status.
 * <p>
 * Its processing group is subscribing (see application.yml), so every change is written in the transaction that
 * appends the event. The unique keys on username and lower-cased e-mail then make the losing one of two
 * simultaneous registrations fail as a conflict and roll back its event (AxonIQ's set-based validation). Logins,
 * the last-admin rule and the answers of the command endpoints read it because it is never behind the events.
 * A deleted user's e-mail address is free again; their username stays taken (see {@link #on(UserDeleted)}).
 */
@Component
@ProcessingGroup(UserAccounts.PROCESSING_GROUP)
public class UserAccounts implements ActiveAdminCount {

    public static final String PROCESSING_GROUP = "user-accounts";

    private static final String DELETED_EMAIL_KEY_PREFIX = "deleted:";

    private static final String COLUMNS =
            "user_id, username, email, full_name, role, status, created_at, approved_at, approved_by";

    /** What a login needs to know about a username. */
    public record LoginCandidate(UserId userId, UserStatus status) {
    }

    private final JdbcTemplate jdbc;

    UserAccounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(UserRegistered event, @Timestamp Instant at) {
        insert(event.userId(), event.username(), event.email(), event.fullName(), Role.REGULAR, UserStatus.PENDING, at);
    }

    @EventHandler
    void on(UserCreated event, @Timestamp Instant at) {
        insert(event.userId(), event.username(), event.email(), event.fullName(), event.role(), UserStatus.ACTIVE, at);
    }

    @EventHandler
    void on(UserApproved event, @Timestamp Instant at) {
        jdbc.update("UPDATE user_accounts SET status = ?, approved_at = ?, approved_by = ? WHERE user_id = ?",
                UserStatus.ACTIVE.name(), at.toEpochMilli(),
                event.approvedBy() == null ? null : event.approvedBy().value(), event.userId().value());
    }

    @EventHandler
    void on(UserRejected event) {
        setStatus(event.userId(), UserStatus.REJECTED);
    }

    @EventHandler
    void on(UserDisabled event) {
        setStatus(event.userId(), UserStatus.DISABLED);
    }

    @EventHandler
    void on(UserEnabled event) {
        setStatus(event.userId(), UserStatus.ACTIVE);
    }

    /**
     * Frees the e-mail address: its owner may not be the one who registered it, and could otherwise never register.
     * The key becomes one no address can have (addresses need an '@'); the e-mail column keeps the old address for
     * the record. The username stays taken: the audit log and the history show it in past entries, and a newcomer
     * under the same name would be read as the author of what the deleted user did.
     */
    @EventHandler
    void on(UserDeleted event) {
        jdbc.update("UPDATE user_accounts SET status = ?, email_key = ? WHERE user_id = ?", UserStatus.DELETED.name(),
                DELETED_EMAIL_KEY_PREFIX + event.userId().value(), event.userId().value());
    }

    @EventHandler
    void on(UserRoleChanged event) {
        jdbc.update("UPDATE user_accounts SET role = ? WHERE user_id = ?", event.role().name(), event.userId().value());
    }

    @EventHandler
    void on(UserProfileUpdated event) {
        if (event.email() != null) {
            try {
                jdbc.update("UPDATE user_accounts SET email = ?, email_key = ? WHERE user_id = ?",
                        event.email(), emailKey(event.email()), event.userId().value());
            } catch (DuplicateKeyException taken) {
                throw DomainException.conflict("The e-mail address " + event.email() + " is taken");
            }
        }
        if (event.fullName() != null) {
            jdbc.update("UPDATE user_accounts SET full_name = ? WHERE user_id = ?",
                    event.fullName(), event.userId().value());
        }
    }

    /**
     * Locks the admin_lock row until the transaction ends before counting: the commands that remove an admin
     * append their event in that same transaction, so of two that would each remove one of the last two admins,
     * the second counts after the first has committed (READ COMMITTED on both databases) and is refused.
     * Without a transaction (the bootstrap admin's check at start-up) the lock lasts only for the statement.
     */
    @Override
    public long activeAdmins() {
        jdbc.queryForObject("SELECT id FROM admin_lock WHERE id = 1 FOR UPDATE", Integer.class);
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM user_accounts WHERE role = ? AND status = ?",
                Long.class, Role.ADMIN.name(), UserStatus.ACTIVE.name());
        return count == null ? 0 : count;
    }

    public Optional<UserView> find(UserId userId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM user_accounts WHERE user_id = ?", UserAccounts::view,
                userId.value()).stream().findFirst();
    }

    public Optional<LoginCandidate> findByUsername(String username) {
        String wanted = username.toLowerCase(Locale.ROOT);
        // MariaDB's PAD SPACE collations also return 'name' for 'name  ': only the exact name is this account.
        return jdbc.query("SELECT user_id, status, username FROM user_accounts WHERE username = ?",
                        (row, n) -> row.getString(3).equals(wanted)
                                ? new LoginCandidate(UserId.of(row.getString(1)), UserStatus.valueOf(row.getString(2)))
                                : null,
                        wanted).stream()
                .filter(Objects::nonNull).findFirst();
    }

    private void insert(UserId userId, String username, String email, String fullName, Role role, UserStatus status,
                        Instant at) {
        try {
            jdbc.update("INSERT INTO user_accounts (user_id, username, email, email_key, full_name, role, status,"
                            + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    userId.value(), username, email, emailKey(email), fullName, role.name(), status.name(),
                    at.toEpochMilli());
        } catch (DuplicateKeyException taken) {
            // Both databases name the violated unique key in the message.
            boolean emailTaken = String.valueOf(taken.getMostSpecificCause().getMessage())
                    .toLowerCase(Locale.ROOT).contains("uk_user_accounts_email");
            throw DomainException.conflict(emailTaken
                    ? "The e-mail address " + email + " is taken"
                    : "The username " + username + " is taken");
        }
    }

    private void setStatus(UserId userId, UserStatus status) {
        jdbc.update("UPDATE user_accounts SET status = ? WHERE user_id = ?", status.name(), userId.value());
    }

    private static String emailKey(String email) {
        return email.toLowerCase(Locale.ROOT);
    }

    private static UserView view(ResultSet row, int rowNumber) throws SQLException {
        long approvedAt = row.getLong("approved_at");
        boolean approved = !row.wasNull();
        String approvedBy = row.getString("approved_by");
        return new UserView(UserId.of(row.getString("user_id")), row.getString("username"), row.getString("email"),
                row.getString("full_name"), Role.valueOf(row.getString("role")),
                UserStatus.valueOf(row.getString("status")), Instant.ofEpochMilli(row.getLong("created_at")),
                approved ? Instant.ofEpochMilli(approvedAt) : null, approvedBy == null ? null : UserId.of(approvedBy),
                null);
    }
}
