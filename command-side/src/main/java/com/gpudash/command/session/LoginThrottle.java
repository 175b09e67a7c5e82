package com.gpudash.command.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing without handing anyone a way to lock an account. Failed logins are counted three
 * ways, each with its own allowance of free failures, after which every further failure makes the next check wait
 * twice as long as the last ({@code backoff-initial}, doubling, at most {@code backoff-max}); a success clears the
 * count it belongs to, and failures are forgotten after {@code failure-window} without one once any wait is over.
 * <ul>
 *   <li>per account and source address ({@code max-failures}): a user who mistypes, or a guesser, waits; the same
 *       account from any other address does not, so five wrong passwords elsewhere no longer lock the owner out;</li>
 *   <li>per source address over all usernames ({@code address-max-failures}): one address trying many names;</li>
 *   <li>per account over all addresses ({@code account-max-failures}): guessing spread over many addresses. It
 *       does not hold an address this account has logged in from before, so a spread attack cannot keep the owner
 *       out either.</li>
 * </ul>
 * Besides, one address gets at most {@code address-concurrency} password checks at once, and the node at most
 * {@code max-concurrent} (0: two per core): a flood is answered at once (429 for the address, 503 for the node)
 * instead of queueing for the database and bcrypt before anything is counted.
 * <p>
 * Kept in memory: a restart forgives, and with a second node each counts on its own. The source address is the
 * one the audit metadata names: the TCP peer, or the client a trusted proxy names (infra's TrustedProxyHeaders).
 */
@Component
public class LoginThrottle {

    /** Beyond this many tracked keys in one count, entries that can no longer hold anyone are dropped. */
    private static final int PRUNE_ABOVE = 10_000;
    /** Addresses remembered per account as ones it logged in from. */
    private static final int KNOWN_ADDRESSES_PER_ACCOUNT = 16;
    /** Stands for a request whose peer address is unknown. */
    private static final String NO_ADDRESS = "-";

    private final Clock clock;
    private final Duration window;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int addressConcurrency;
    private final int maxConcurrent;
    private final AtomicInteger checkingAll = new AtomicInteger();
    private final Count byAccountAndAddress;
    private final Count byAddress;
    private final Count byAccount;
    private final Map<String, Set<String>> knownAddresses = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> checking = new ConcurrentHashMap<>();

    LoginThrottle(Clock clock,
                  @Value("${gpudash.login.max-failures:5}") int maxFailures,
                  @Value("${gpudash.login.address-max-failures:20}") int addressMaxFailures,
                  @Value("${gpudash.login.account-max-failures:100}") int accountMaxFailures,
                  @Value("${gpudash.login.failure-window:15m}") Duration window,
                  @Value("${gpudash.login.backoff-initial:1s}") Duration initialBackoff,
                  @Value("${gpudash.login.backoff-max:15m}") Duration maxBackoff,
                  @Value("${gpudash.login.address-concurrency:4}") int addressConcurrency,
                  @Value("${gpudash.login.max-concurrent:0}") int maxConcurrent) {
        this.maxConcurrent = maxConcurrent > 0 ? maxConcurrent : 2 * Runtime.getRuntime().availableProcessors();
        this.clock = clock;
        this.window = window;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.addressConcurrency = addressConcurrency;
        this.byAccountAndAddress = new Count(maxFailures);
        this.byAddress = new Count(addressMaxFailures);
        this.byAccount = new Count(accountMaxFailures);
    }

    /** Until when a login for {@code username} from {@code address} must not be checked; empty: check it now. */
    public Optional<Instant> throttledUntil(String username, String address) {
        Instant now = clock.instant();
        String account = key(username);
        String from = address(address);
        Stream<Optional<Instant>> holds = Stream.of(
                byAccountAndAddress.heldUntil(pair(account, from), now),
                byAddress.heldUntil(from, now),
                knownAddress(account, from) ? Optional.empty() : byAccount.heldUntil(account, now));
        return holds.flatMap(Optional::stream).max(Instant::compareTo);
    }

    public void recordFailure(String username, String address) {
        Instant now = clock.instant();
        String account = key(username);
        String from = address(address);
        byAccountAndAddress.fail(pair(account, from), now);
        byAddress.fail(from, now);
        byAccount.fail(account, now);
    }

    /** The account's own counts start again, and the address is remembered as one the account logs in from. */
    public void recordSuccess(String username, String address) {
        String account = key(username);
        String from = address(address);
        byAccountAndAddress.forget(pair(account, from));
        byAccount.forget(account);
        Set<String> known = knownAddresses.computeIfAbsent(account, k -> Collections.synchronizedSet(
                Collections.newSetFromMap(new LinkedHashMap<>(KNOWN_ADDRESSES_PER_ACCOUNT, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                        return size() > KNOWN_ADDRESSES_PER_ACCOUNT;
                    }
                })));
        known.add(from);
    }

    /** Whether a password check may start now. */
    public enum Check { STARTED, ADDRESS_BUSY, SERVER_BUSY }

    /**
     * Claims one of the address's and one of the node's concurrent password checks. Only {@link Check#STARTED}
     * claims anything, and must be given back with {@link #checked(String)}.
     */
    public Check startCheck(String address) {
        if (checkingAll.incrementAndGet() > maxConcurrent) {
            checkingAll.decrementAndGet();
            return Check.SERVER_BUSY;
        }
        AtomicInteger running = checking.computeIfAbsent(address(address), k -> new AtomicInteger());
        if (running.incrementAndGet() > addressConcurrency) {
            checked(address);
            return Check.ADDRESS_BUSY;
        }
        return Check.STARTED;
    }

    public void checked(String address) {
        checking.computeIfPresent(address(address), (k, running) -> running.decrementAndGet() <= 0 ? null : running);
        checkingAll.decrementAndGet();
    }

    /** When a refused check may be tried again: the shortest wait there is. */
    public Instant retryAfterBusy() {
        return clock.instant().plus(initialBackoff);
    }

    /**
     * Every spelling that the database would match to one account shares one count. Logins are case-insensitive,
     * and MariaDB's PAD SPACE collations compare {@code 'name  '} equal to {@code 'name'}: keyed on the string as
     * typed, each number of trailing spaces would get fresh tries at the same account.
     */
    static String key(String username) {
        return username.strip().toLowerCase(Locale.ROOT);
    }

    private boolean knownAddress(String account, String address) {
        Set<String> known = knownAddresses.get(account);
        return known != null && known.contains(address);
    }

    private static String address(String address) {
        return address == null || address.isEmpty() ? NO_ADDRESS : address;
    }

    private static String pair(String account, String address) {
        return account + '\n' + address;
    }

    /** Consecutive failures per key, each beyond the free ones doubling the wait before the next check. */
    private final class Count {

        private final int free;
        private final Map<String, Failures> failures = new ConcurrentHashMap<>();

        Count(int free) {
            this.free = free;
        }

        Optional<Instant> heldUntil(String key, Instant now) {
            Failures entry = failures.get(key);
            return entry == null ? Optional.empty() : entry.heldUntil(now);
        }

        void fail(String key, Instant now) {
            if (failures.size() > PRUNE_ABOVE) {
                failures.values().removeIf(entry -> entry.forgotten(now));
            }
            failures.computeIfAbsent(key, k -> new Failures()).add(now, free);
        }

        void forget(String key) {
            failures.remove(key);
        }
    }

    private final class Failures {

        private int consecutive;
        private Instant last;
        private Instant heldUntil;

        synchronized void add(Instant now, int free) {
            if (forgotten(now)) {
                consecutive = 0;
                heldUntil = null;
            }
            consecutive++;
            last = now;
            if (consecutive >= free) {
                heldUntil = now.plus(backoff(consecutive - free));
            }
        }

        synchronized Optional<Instant> heldUntil(Instant now) {
            return heldUntil != null && now.isBefore(heldUntil) ? Optional.of(heldUntil) : Optional.empty();
        }

        /** No failure for a whole window after the last one and after the last wait ended. */
        synchronized boolean forgotten(Instant now) {
            if (last == null) {
                return true;
            }
            Instant quietSince = heldUntil != null && heldUntil.isAfter(last) ? heldUntil : last;
            return !now.isBefore(quietSince.plus(window));
        }

        private Duration backoff(int doublings) {
            Duration wait = initialBackoff;
            for (int i = 0; i < doublings && wait.compareTo(maxBackoff) < 0; i++) {
                wait = wait.multipliedBy(2);
            }
            return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
        }
    }
}
