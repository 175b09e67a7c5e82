package com.gpudash.command.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.gpudash.api.IntervalTally;
import com.gpudash.api.PeriodicTask;
import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.api.audit.LoginThrottled;
import com.gpudash.api.audit.LoginsThrottled;
import com.gpudash.command.web.AuditEvents;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Records throttled logins for the audit log without letting a client that retries them in a loop fill the event
 * store (each event and audit row is about 1.6 KB): per source address and account, the first throttled login of
 * an interval ({@code gpudash.audit.anonymous-interval}, the interval of refused anonymous calls) is a
 * {@link LoginThrottled} at once, and the rest one {@link LoginsThrottled} with their count when the interval ends.
 * A source gets {@value #ACCOUNTS_PER_SOURCE} accounts of its own per interval; its throttled logins to others
 * are counted under {@code *}, so that cycling through usernames does not get one event per name either.
 */
@Component
public class ThrottledLogins {

    /** As many as a lab's shared address (a NAT, a proxy) plausibly has people locked out at once. */
    public static final int ACCOUNTS_PER_SOURCE = 20;
    static final String OTHER_ACCOUNTS = "*";

    private sealed interface Counted {
    }

    /** {@code sourceIp} may be null (no address known): such logins are counted together. */
    private record Logins(String sourceIp, String account) implements Counted {
    }

    private record SourceAccounts(String sourceIp) implements Counted {
    }

    private final AuditEvents audit;
    private final IntervalTally<Counted> tally;
    private final PeriodicTask flushes;

    ThrottledLogins(AuditEvents audit, Clock clock,
                    @Value("${gpudash.audit.anonymous-interval:1m}") Duration interval) {
        this.audit = audit;
        this.tally = new IntervalTally<>(clock);
        this.flushes = new PeriodicTask("throttled-logins-flush", interval, interval, this::flush);
    }

    @PostConstruct
    void start() {
        flushes.start();
    }

    @PreDestroy
    void stop() {
        flushes.stop();
        flush();
    }

    /**
     * Counts a login answered 429 for {@code username} (as typed) from {@code sourceIp}; records it when it is the
     * first of its kind this interval, with the request's metadata as {@code actor} changes it.
     */
    Mono<Void> record(String username, String sourceIp, Instant lockedUntil, UnaryOperator<AuditMetadata> actor) {
        Logins logins = new Logins(sourceIp, LoginThrottle.key(username));
        if (tally.count(logins) == 0 && tally.add(new SourceAccounts(sourceIp)) >= ACCOUNTS_PER_SOURCE) {
            logins = new Logins(sourceIp, OTHER_ACCOUNTS);
        }
        if (tally.add(logins) > 0) {
            return Mono.empty();
        }
        return audit.record(new LoginThrottled(username, lockedUntil), actor);
    }

    /**
     * Ends the interval now: one event per source and account for the throttled logins after the first. Returns
     * once they are stored, also those of a flush that another thread (the schedule) has under way. Public for the
     * tests that check what a flood stored without waiting out an interval.
     */
    public synchronized void flush() {
        for (IntervalTally.Repeated<Counted> repeated : tally.endInterval()) {
            if (repeated.key() instanceof Logins logins) {
                audit.recordBlocking(
                        new LoginsThrottled(logins.account(), repeated.beyondFirst(), repeated.from(), repeated.to()),
                        new AuditMetadata(null, logins.account(), null, logins.sourceIp(),
                                UUID.randomUUID().toString()));
            }
        }
    }
}
