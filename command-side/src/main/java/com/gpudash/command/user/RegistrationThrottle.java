package com.gpudash.command.user;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * At most {@code address-max} anonymous registration attempts per source address in each {@code window}, counted
 * from an address's first attempt of the window, valid or not: an attempt costs a bcrypt hash and an event.
 * Unlike {@link com.gpudash.command.session.LoginThrottle}, which forgives as soon as a login succeeds and backs
 * off on failures, this counts every attempt, since a successful registration is what a flood is made of.
 * In memory, per node, like the login throttle.
 */
@Component
public class RegistrationThrottle {

    /** Beyond this many tracked addresses, those whose window is over are dropped. */
    private static final int PRUNE_ABOVE = 10_000;
    private static final String NO_ADDRESS = "-";

    private final Clock clock;
    private final int addressMax;
    private final Duration window;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    RegistrationThrottle(Clock clock,
                         @Value("${gpudash.registration.address-max:10}") int addressMax,
                         @Value("${gpudash.registration.window:10m}") Duration window) {
        this.clock = clock;
        this.addressMax = addressMax;
        this.window = window;
    }

    /** Counts an attempt from {@code address}; when it is one too many, until when the address must wait. */
    public Optional<Instant> attempt(String address) {
        Instant now = clock.instant();
        if (windows.size() > PRUNE_ABOVE) {
            windows.values().removeIf(w -> over(w, now));
        }
        String from = address == null || address.isEmpty() ? NO_ADDRESS : address;
        Window current = windows.compute(from, (k, w) -> w == null || over(w, now) ? new Window(now, 1) : w.plusOne());
        return current.attempts() > addressMax ? Optional.of(current.start().plus(window)) : Optional.empty();
    }

    public Instant now() {
        return clock.instant();
    }

    private record Window(Instant start, int attempts) {
        Window plusOne() {
            return new Window(start, attempts == Integer.MAX_VALUE ? attempts : attempts + 1);
        }
    }

    private boolean over(Window w, Instant now) {
        return !now.isBefore(w.start().plus(window));
    }
}
