package com.gpudash.infra.security;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import com.gpudash.api.IntervalTally;
import com.gpudash.api.PeriodicTask;
import com.gpudash.api.audit.AccessDenied;
import com.gpudash.api.audit.AnonymousCallsDenied;
import com.gpudash.api.audit.AuditMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Records a refused call (401 or 403) as an {@link AccessDenied} event with the request's audit metadata, so the
 * audit log projects it like every other event. Failing to record does not change the answer the caller gets.
 * <p>
 * Calls without a session are counted rather than stored one by one (each event and audit row took about 1.6 KB,
 * and one client refused 1 MB/s into the store): per source address, method, route and status, the first refusal
 * of an interval ({@code gpudash.audit.anonymous-interval}) is an {@code AccessDenied} at once, and the rest one
 * {@link AnonymousCallsDenied} with their count when the interval ends. A source gets at most
 * {@code gpudash.audit.anonymous-routes} routes of its own per interval; its refusals beyond go under route
 * {@code *}. A source refused more than {@code gpudash.audit.anonymous-max-refused} times in an interval is
 * {@linkplain #throttles(ServerWebExchange) answered 429} until the interval ends.
 */
@Component
public class AccessDeniedRecorder {

    private static final Logger log = LoggerFactory.getLogger(AccessDeniedRecorder.class);
    /** Paths are echoed into the event; a huge one is cut so that a caller cannot grow the store at will. */
    private static final int MAX_ROUTE_LENGTH = 512;

    /**
     * What the tally counts: refusals of one kind from one source, and per source its total and its routes. A null
     * source (no address known) is counted as one source.
     */
    private sealed interface Counted {
    }

    private record Refusals(String sourceIp, String method, String route, int status, String reason) implements Counted {
    }

    private record SourceTotal(String sourceIp) implements Counted {
    }

    private record SourceRoutes(String sourceIp) implements Counted {
    }

    private final EventGateway events;
    private final Clock clock;
    private final Duration interval;
    private final int routesPerSource;
    private final long maxRefusedPerSource;
    private final Duration throttledAnswerDelay;
    private final IntervalTally<Counted> tally;
    /** A failed flush is logged and the next interval's runs anyway (a bare Flux.interval would stop for good). */
    private final PeriodicTask flushes;

    AccessDeniedRecorder(EventGateway events, Clock clock,
                         @Value("${gpudash.audit.anonymous-interval:1m}") Duration interval,
                         @Value("${gpudash.audit.anonymous-routes:20}") int routesPerSource,
                         @Value("${gpudash.audit.anonymous-max-refused:600}") long maxRefusedPerSource,
                         @Value("${gpudash.audit.anonymous-throttled-delay:1s}") Duration throttledAnswerDelay) {
        this.events = events;
        this.clock = clock;
        this.interval = interval;
        this.routesPerSource = routesPerSource;
        this.maxRefusedPerSource = maxRefusedPerSource;
        this.throttledAnswerDelay = throttledAnswerDelay;
        this.tally = new IntervalTally<>(clock);
        this.flushes = new PeriodicTask("anonymous-refusals-flush", interval, interval, this::flush);
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

    public Mono<Void> record(ServerWebExchange exchange, int status, String reason) {
        AuditMetadata audit = audit(exchange);
        String path = exchange.getRequest().getPath().value();
        AccessDenied denied = new AccessDenied(exchange.getRequest().getMethod().name(),
                path.length() > MAX_ROUTE_LENGTH ? path.substring(0, MAX_ROUTE_LENGTH) : path, status, reason);
        if (audit.actorId() == null && !firstOfInterval(audit.sourceIp(), denied)) {
            return Mono.empty();
        }
        // The event store append is blocking JDBC: off the event loop.
        return Mono.fromRunnable(() -> events.publish(GenericEventMessage.asEventMessage(denied).andMetaData(audit.asMap())))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(failure -> {
                    log.warn("Could not record {}", denied, failure);
                    return Mono.empty();
                })
                .then();
    }

    /**
     * Whether a refusal about to be answered goes to a source without a session that was refused too often this
     * interval; it is then answered 429 instead and counted, not recorded.
     */
    public boolean throttles(ServerWebExchange exchange) {
        AuditMetadata audit = audit(exchange);
        if (audit.actorId() != null) {
            return false;
        }
        SourceTotal source = new SourceTotal(audit.sourceIp());
        if (tally.count(source) < maxRefusedPerSource) {
            return false;
        }
        tally.add(source);
        return true;
    }

    /**
     * How long a 429 to a throttled source waits before it is sent. A client that floods back to back then sends
     * one request per connection per delay instead of as many as the server can refuse, and the wait costs a timer,
     * not CPU: without it, one flooding client took two thirds of the admins' reads (AbuseLoadBenchmark).
     */
    public Duration throttledAnswerDelay() {
        return throttledAnswerDelay;
    }

    /** Seconds until the interval ends, when a throttled source is counted afresh. */
    public long secondsLeftInInterval() {
        Duration left = Duration.between(clock.instant(), tally.intervalStart().plus(interval));
        return Math.max(1, left.toSeconds() + 1);
    }

    private boolean firstOfInterval(String sourceIp, AccessDenied denied) {
        tally.add(new SourceTotal(sourceIp));
        Refusals refusals = new Refusals(sourceIp, denied.method(), denied.route(), denied.status(), denied.reason());
        if (tally.count(refusals) == 0 && tally.add(new SourceRoutes(sourceIp)) >= routesPerSource) {
            refusals = new Refusals(sourceIp, "*", "*", denied.status(), "refused calls to routes beyond the first "
                    + routesPerSource);
        }
        return tally.add(refusals) == 0;
    }

    /**
     * Ends the interval: one event per source, route and status for the refusals after the first. Returns once they
     * are stored, also those of a flush that another thread (the schedule) has under way.
     */
    synchronized void flush() {
        for (IntervalTally.Repeated<Counted> repeated : tally.endInterval()) {
            if (!(repeated.key() instanceof Refusals key)) {
                continue;
            }
            AnonymousCallsDenied summary = new AnonymousCallsDenied(key.method(), key.route(), key.status(),
                    key.reason(), repeated.beyondFirst(), repeated.from(), repeated.to());
            AuditMetadata metadata = new AuditMetadata(null, null, null, key.sourceIp(), UUID.randomUUID().toString());
            try {
                events.publish(GenericEventMessage.asEventMessage(summary).andMetaData(metadata.asMap()));
            } catch (RuntimeException e) {
                log.warn("Could not record {}", summary, e);
            }
        }
    }

    private static AuditMetadata audit(ServerWebExchange exchange) {
        AuditMetadata audit = exchange.getAttribute(SessionAuthenticationFilter.AUDIT_ATTRIBUTE);
        if (audit != null) {
            return audit;
        }
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        String sourceIp = remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
        return new AuditMetadata(null, null, null, sourceIp, UUID.randomUUID().toString());
    }
}
