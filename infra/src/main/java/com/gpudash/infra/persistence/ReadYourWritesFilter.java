package com.gpudash.infra.persistence;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every read of the API waits until the projections have applied the writes acknowledged before it
 * ({@link AcknowledgedWrites}), so no endpoint has to know that its read model trails the event store. It runs after
 * the security filters: a refused request never waits. Writes do not wait; they are decided by the aggregates.
 */
@Component
class ReadYourWritesFilter implements WebFilter {

    private final AcknowledgedWrites acknowledged;

    ReadYourWritesFilter(AcknowledgedWrites acknowledged) {
        this.acknowledged = acknowledged;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        boolean read = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
        if (!read || !exchange.getRequest().getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        return acknowledged.applied().then(chain.filter(exchange));
    }
}
