package com.gpudash.command.user;

import java.time.Clock;
import java.util.Optional;

import com.gpudash.api.user.PasswordHash;
import com.gpudash.api.user.UserId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The credentials table. Called from the aggregate's command handlers, on the JDBC connection of the unit of
 * work that appends the event, so the hash and the event commit together.
 */
@Component
public class JdbcCredentialStore implements CredentialStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    JdbcCredentialStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * One statement, not an update then an insert: on MariaDB an update that finds no row locks the gap, and two
     * registrations doing that at once deadlock on their inserts. H2 reads this MySQL form too.
     */
    @Override
    public void store(UserId userId, PasswordHash passwordHash) {
        jdbc.update("INSERT INTO user_credentials (user_id, password_hash, updated_at) VALUES (?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE password_hash = VALUES(password_hash), updated_at = VALUES(updated_at)",
                userId.value(), passwordHash.value(), clock.millis());
    }

    public Optional<PasswordHash> find(UserId userId) {
        return jdbc.query("SELECT password_hash FROM user_credentials WHERE user_id = ?",
                (row, n) -> new PasswordHash(row.getString(1)), userId.value()).stream().findFirst();
    }
}
