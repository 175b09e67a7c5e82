package com.gpudash.infra.security;

import java.time.Clock;

import com.gpudash.api.user.Caller;
import com.gpudash.api.user.UserStatus;
import com.gpudash.query.live.SessionCheck;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The rule {@link SessionAuthenticationFilter} lets callers in by: a live session of an ACTIVE user. */
@Component
class ActiveSessionCheck implements SessionCheck {

    private final DatabaseClient database;
    private final Clock clock;

    ActiveSessionCheck(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Mono<Boolean> alive(Caller caller) {
        return database.sql("SELECT COUNT(*) AS n FROM sessions s JOIN user_accounts a ON a.user_id = s.user_id"
                        + " WHERE s.token_hash = :hash AND s.expires_at > :now AND a.status = :active")
                .bind("hash", caller.sessionId())
                .bind("now", clock.millis())
                .bind("active", UserStatus.ACTIVE.name())
                .map(row -> ((Number) row.get("n")).longValue() > 0)
                .one();
    }
}
