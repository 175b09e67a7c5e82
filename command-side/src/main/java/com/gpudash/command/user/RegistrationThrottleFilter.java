package com.gpudash.command.user;

import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.command.web.TooManyRequests;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Counts every {@code POST /api/register} before its body is read or checked, so that invalid bodies count too.
 * Runs after the security chain, which has named the source address in the request's audit metadata.
 */
@Component
class RegistrationThrottleFilter implements WebFilter {

    static final String PATH = "/api/register";

    private final RegistrationThrottle throttle;

    RegistrationThrottleFilter(RegistrationThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getMethod() != HttpMethod.POST
                || !PATH.equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        AuditMetadata audit = exchange.getAttribute(AuditMetadata.class.getName());
        return throttle.attempt(audit == null ? null : audit.sourceIp())
                .<Mono<Void>>map(until -> Mono.error(TooManyRequests.until(throttle.now(), until,
                        "Too many registrations from this address")))
                .orElseGet(() -> chain.filter(exchange));
    }
}
