package com.gpudash.command.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Counts failed logins per username: after {@code maxFailures} within {@code window}, the username is locked for
 * {@code lockout}, whatever password comes next. Kept in memory: a restart forgives, and with a second node each
 * counts on its own.
 */
@Component
public class LoginThrottle {

    /** Beyond this many tracked usernames, entries that can no longer lock anyone are dropped. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final Duration lockout;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    LoginThrottle(Clock clock,
                  @Value("${gpudash.login.max-failures:5}") int maxFailures,
                  @Value("${gpudash.login.failure-window:15m}") Duration window,
                  @Value("${gpudash.login.lockout:15m}") Duration lockout) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
        this.lockout = lockout;
    }

    /** When the username is locked, until when. */
    public Optional<Instant> lockedUntil(String username) {
        Failures entry = failures.get(key(username));
        return entry == null ? Optional.empty() : entry.lockedUntil(clock.instant());
    }

    public void recordFailure(String username) {
        Instant now = clock.instant();
        if (failures.size() > PRUNE_ABOVE) {
            failures.values().removeIf(entry -> entry.forgotten(now));
        }
        failures.computeIfAbsent(key(username), k -> new Failures()).add(now);
    }

    public void recordSuccess(String username) {
        failures.remove(key(username));
    }

    /**
     * Every spelling that the database would match to one account shares one count. Logins are case-insensitive,
     * and MariaDB's PAD SPACE collations compare {@code 'name  '} equal to {@code 'name'}: keyed on the string as
     * typed, each number of trailing spaces would get five fresh tries at the same account.
     */
    static String key(String username) {
        return username.strip().toLowerCase(Locale.ROOT);
    }

    private final class Failures {

        private final Deque<Instant> times = new ArrayDeque<>();
        private Instant lockedUntil;

        synchronized void add(Instant now) {
            times.addLast(now);
            while (times.peekFirst().isBefore(now.minus(window))) {
                times.removeFirst();
            }
            if (times.size() >= maxFailures) {
                lockedUntil = now.plus(lockout);
                times.clear();
            }
        }

        synchronized Optional<Instant> lockedUntil(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil) ? Optional.of(lockedUntil) : Optional.empty();
        }

        synchronized boolean forgotten(Instant now) {
            boolean recentFailure = !times.isEmpty() && times.peekLast().isAfter(now.minus(window));
            return lockedUntil(now).isEmpty() && !recentFailure;
        }
    }
}
