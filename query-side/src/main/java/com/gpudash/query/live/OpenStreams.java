package com.gpudash.query.live;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.gpudash.api.user.Caller;
import com.gpudash.api.user.SessionsEnded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The event streams open on this node, each to end with the session it was opened with: at once when this node
 * ends the session (logout, password change or reset, disabling, role change, deletion: {@link SessionsEnded},
 * after the change has committed), when the session expires, or, for a session ended by another node, at the
 * next {@link SessionCheck} ({@code gpudash.events.session-check}). All end when the application shuts
 * down, since an open stream would otherwise hold graceful shutdown for its whole timeout.
 * <p>
 * A user may hold at most {@code gpudash.events.max-streams-per-user} streams and the node at most
 * {@code gpudash.events.max-streams}; beyond, a stream is refused with 429 before it starts (one token opened 2,000
 * streams, and other calls took seconds meanwhile).
 */
@Component
class OpenStreams {

    private static final Logger log = LoggerFactory.getLogger(OpenStreams.class);

    private record Open(Caller caller, Sinks.One<String> end) {
    }

    private final Set<Open> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> admittedPerUser = new ConcurrentHashMap<>();
    private final AtomicInteger admitted = new AtomicInteger();
    private final int maxStreams;
    private final int maxStreamsPerUser;
    private final SessionCheck sessions;
    private final Clock clock;
    private final ApplicationContext context;
    private final Duration sessionCheck;
    private final Counter overflows;
    private volatile boolean closing;

    OpenStreams(SessionCheck sessions, Clock clock, ApplicationContext context, MeterRegistry registry,
                @Value("${gpudash.events.session-check:30s}") Duration sessionCheck,
                @Value("${gpudash.events.max-streams:1000}") int maxStreams,
                @Value("${gpudash.events.max-streams-per-user:8}") int maxStreamsPerUser) {
        this.maxStreams = maxStreams;
        this.maxStreamsPerUser = maxStreamsPerUser;
        this.sessions = sessions;
        this.clock = clock;
        this.context = context;
        this.sessionCheck = sessionCheck;
        Gauge.builder("gpudash.events.streams", open, Set::size)
                .description("Event streams (GET /api/events/stream) open on this node")
                .register(registry);
        this.overflows = Counter.builder("gpudash.events.overflows")
                .description("Times a slow event stream's buffer was emptied and the client told to refetch")
                .register(registry);
    }

    /**
     * Claims a place for one more stream of the caller, or refuses it (429); the returned release gives the place
     * back, once, however often it runs.
     */
    Runnable admit(Caller caller) {
        String user = caller.userId().value();
        if (admitted.incrementAndGet() > maxStreams) {
            admitted.decrementAndGet();
            throw new TooManyStreams("This server has " + maxStreams + " event streams open, its limit; try again later");
        }
        int[] ofUser = new int[1];
        admittedPerUser.compute(user, (key, count) -> ofUser[0] = (count == null ? 0 : count) + 1);
        Runnable release = new Runnable() {
            private final AtomicBoolean held = new AtomicBoolean(true);

            @Override
            public void run() {
                if (held.compareAndSet(true, false)) {
                    admittedPerUser.computeIfPresent(user, (key, count) -> count <= 1 ? null : count - 1);
                    admitted.decrementAndGet();
                }
            }
        };
        if (ofUser[0] > maxStreamsPerUser) {
            release.run();
            throw new TooManyStreams("You have " + maxStreamsPerUser + " event streams open, the limit per user;"
                    + " close one first");
        }
        return release;
    }

    /** Emits why the caller's stream must end; subscribing registers the stream, cancelling forgets it. */
    Mono<String> end(Caller caller) {
        return Mono.defer(() -> {
            Open stream = new Open(caller, Sinks.one());
            open.add(stream);
            if (closing) {
                stream.end().tryEmitValue("shutdown");
            }
            Duration left = Duration.between(clock.instant(), caller.sessionExpiresAt());
            Mono<String> expiry = Mono.delay(left.isNegative() ? Duration.ZERO : left).thenReturn("session expired");
            Mono<String> endedElsewhere = Flux.interval(sessionCheck).onBackpressureDrop()
                    .concatMap(tick -> alive(caller), 1)
                    .filter(alive -> !alive)
                    .next()
                    .thenReturn("session ended");
            return Mono.firstWithSignal(stream.end().asMono(), expiry, endedElsewhere)
                    .doFinally(signal -> open.remove(stream));
        });
    }

    void overflowed() {
        overflows.increment();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(SessionsEnded ended) {
        open.stream()
                .filter(stream -> ended.includes(stream.caller().sessionId(), stream.caller().userId()))
                .forEach(stream -> stream.end().tryEmitValue("session ended"));
    }

    @EventListener
    void on(ContextClosedEvent closed) {
        if (closed.getApplicationContext() != context) {
            return;
        }
        closing = true;
        log.info("Ending {} event stream(s) for shutdown", open.size());
        open.forEach(stream -> stream.end().tryEmitValue("shutdown"));
    }

    int size() {
        return open.size();
    }

    /** A 429 that a client may retry after a while (streams end when their readers go). */
    static final class TooManyStreams extends ResponseStatusException {

        TooManyStreams(String reason) {
            super(HttpStatus.TOO_MANY_REQUESTS, reason);
        }

        @Override
        public HttpHeaders getHeaders() {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, "30");
            return headers;
        }
    }

    /** A failed check keeps the stream. */
    private Mono<Boolean> alive(Caller caller) {
        return sessions.alive(caller)
                .onErrorResume(e -> {
                    log.warn("Could not check the session of an event stream; keeping it open: {}", e.toString());
                    return Mono.just(true);
                });
    }
}
