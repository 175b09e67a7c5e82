package com.gpudash.infra.security;

import java.net.InetSocketAddress;
import java.util.UUID;

import com.gpudash.api.audit.AccessDenied;
import com.gpudash.api.audit.AuditMetadata;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Records a refused call (401 or 403) as an {@link AccessDenied} event with the request's audit metadata, so the
 * audit log projects it like every other event. Failing to record does not change the answer the caller gets.
 */
@Component
public class AccessDeniedRecorder {

    private static final Logger log = LoggerFactory.getLogger(AccessDeniedRecorder.class);
    /** Paths are echoed into the event; a huge one is cut so that a caller cannot grow the store at will. */
    private static final int MAX_ROUTE_LENGTH = 512;

    private final EventGateway events;

    AccessDeniedRecorder(EventGateway events) {
        this.events = events;
    }

    public Mono<Void> record(ServerWebExchange exchange, int status, String reason) {
        AuditMetadata audit = exchange.getAttribute(SessionAuthenticationFilter.AUDIT_ATTRIBUTE);
        if (audit == null) {
            InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
            String sourceIp = remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
            audit = new AuditMetadata(null, null, null, sourceIp, UUID.randomUUID().toString());
        }
        String path = exchange.getRequest().getPath().value();
        AccessDenied denied = new AccessDenied(exchange.getRequest().getMethod().name(),
                path.length() > MAX_ROUTE_LENGTH ? path.substring(0, MAX_ROUTE_LENGTH) : path, status, reason);
        AuditMetadata metadata = audit;
        // The event store append is blocking JDBC: off the event loop.
        return Mono.fromRunnable(() -> events.publish(GenericEventMessage.asEventMessage(denied).andMetaData(metadata.asMap())))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(failure -> {
                    log.warn("Could not record {}", denied, failure);
                    return Mono.empty();
                })
                .then();
    }
}
