package com.gpudash.command.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.gpudash.api.user.SessionsEnded;
import com.gpudash.api.user.UserId;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The sessions table, written through JDBC; the security layer reads it on every request. Ending sessions is
 * announced as {@link SessionsEnded}.
 */
@Component
public class Sessions {

    /** What the client gets once; only {@link SessionTokens#hash} of the token is kept. */
    public record OpenedSession(String token, Instant expiresAt) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher publisher;

    Sessions(JdbcTemplate jdbc, Clock clock, ApplicationEventPublisher publisher) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.publisher = publisher;
    }

    public OpenedSession open(UserId userId, Duration ttl) {
        long now = clock.millis();
        // Expired sessions are never accepted; clearing them here keeps the table small without a scheduler.
        jdbc.update("DELETE FROM sessions WHERE expires_at < ?", now);
        String token = SessionTokens.newToken();
        Instant expiresAt = Instant.ofEpochMilli(now).plus(ttl);
        jdbc.update("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                SessionTokens.hash(token), userId.value(), now, expiresAt.toEpochMilli());
        return new OpenedSession(token, expiresAt);
    }

    public void end(String sessionId) {
        jdbc.update("DELETE FROM sessions WHERE token_hash = ?", sessionId);
        publisher.publishEvent(new SessionsEnded(sessionId, null));
    }

    public void endAll(UserId userId) {
        jdbc.update("DELETE FROM sessions WHERE user_id = ?", userId.value());
        publisher.publishEvent(new SessionsEnded(null, userId));
    }
}
