package com.gpudash.infra.security;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.api.user.Caller;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.UserId;
import com.gpudash.api.user.UserStatus;
import com.gpudash.command.session.SessionTokens;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Finds the session behind the Bearer header or the {@code GPUDASH_SESSION} cookie, and records who is calling
 * for the rest of the request: the {@link Caller} as a request attribute, and the {@link AuditMetadata} (actor,
 * source address, correlation id) as a request attribute and in the Reactor context, where commands pick it up.
 * A missing, unknown or expired token leaves the request anonymous; the route table decides whether that is
 * enough. The lookup is one non-blocking R2DBC query.
 */
final class SessionAuthenticationFilter implements WebFilter {

    static final String CORRELATION_HEADER = "X-Correlation-Id";
    static final String AUDIT_ATTRIBUTE = AuditMetadata.class.getName();
    private static final Pattern CLIENT_CORRELATION_ID = Pattern.compile("^[A-Za-z0-9._-]{8,64}$");

    private record PresentedToken(String token, boolean viaCookie) {
    }

    private final DatabaseClient database;
    private final Clock clock;

    SessionAuthenticationFilter(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String correlationId = correlationId(exchange.getRequest());
        exchange.getResponse().getHeaders().set(CORRELATION_HEADER, correlationId);
        String sourceIp = sourceIp(exchange.getRequest());
        return presentedToken(exchange.getRequest())
                .map(this::authenticate)
                .orElse(Mono.empty())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(authentication -> {
                    AuditMetadata audit = authentication
                            .map(a -> new AuditMetadata(a.caller().userId().value(), a.caller().username(),
                                    a.caller().role().name(), sourceIp, correlationId))
                            .orElse(new AuditMetadata(null, null, null, sourceIp, correlationId));
                    exchange.getAttributes().put(AUDIT_ATTRIBUTE, audit);
                    authentication.ifPresent(a -> exchange.getAttributes().put(Caller.ATTRIBUTE, a.caller()));
                    Mono<Void> rest = chain.filter(exchange).contextWrite(context -> context.put(AuditMetadata.class, audit));
                    return authentication.isEmpty() ? rest
                            : rest.contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication.get()));
                });
    }

    private Mono<SessionAuthentication> authenticate(PresentedToken presented) {
        String sessionId = SessionTokens.hash(presented.token());
        return database.sql("SELECT s.user_id, s.expires_at, a.username, a.role FROM sessions s"
                        + " JOIN user_accounts a ON a.user_id = s.user_id"
                        + " WHERE s.token_hash = :hash AND s.expires_at > :now AND a.status = :active")
                .bind("hash", sessionId)
                .bind("now", clock.millis())
                .bind("active", UserStatus.ACTIVE.name())
                .map(row -> new Caller(UserId.of(row.get("user_id", String.class)), row.get("username", String.class),
                        Role.valueOf(row.get("role", String.class)), sessionId,
                        Instant.ofEpochMilli(((Number) row.get("expires_at")).longValue())))
                .one()
                .map(caller -> new SessionAuthentication(caller, presented.viaCookie()));
    }

    /** The header wins over the cookie: a script that sends one means it. */
    private static Optional<PresentedToken> presentedToken(ServerHttpRequest request) {
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(new PresentedToken(token, false));
        }
        HttpCookie cookie = request.getCookies().getFirst(SessionTokens.COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? Optional.empty()
                : Optional.of(new PresentedToken(cookie.getValue(), true));
    }

    /** A client may name its own correlation id to follow a call through the logs; anything else gets a new one. */
    private static String correlationId(ServerHttpRequest request) {
        String offered = request.getHeaders().getFirst(CORRELATION_HEADER);
        return offered != null && CLIENT_CORRELATION_ID.matcher(offered).matches() ? offered
                : UUID.randomUUID().toString();
    }

    private static String sourceIp(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return null;
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
