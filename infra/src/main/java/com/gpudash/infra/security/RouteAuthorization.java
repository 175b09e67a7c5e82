package com.gpudash.infra.security;

import com.gpudash.api.user.Permission;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Decides every request by the {@link RoutePermissions} table. Refusals leave their reason in the request
 * attribute {@link #REFUSAL_ATTRIBUTE} for the 403 answer and the audit record.
 * <p>
 * A browser sends the session cookie with any request to this host, including one that another site's page
 * makes it send. The cookie is SameSite=Strict, and as a second line a state-changing call authenticated by
 * the cookie must come with an {@code Origin} naming this host (README, "Cross-site requests").
 */
final class RouteAuthorization implements ReactiveAuthorizationManager<AuthorizationContext> {

    static final String REFUSAL_ATTRIBUTE = RouteAuthorization.class.getName() + ".refusal";
    private static final Set<HttpMethod> SAFE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final RoutePermissions routes;

    RouteAuthorization(RoutePermissions routes) {
        this.routes = routes;
    }

    @Override
    public Mono<AuthorizationDecision> check(Mono<Authentication> authentication, AuthorizationContext context) {
        ServerWebExchange exchange = context.getExchange();
        return authentication
                .filter(SessionAuthentication.class::isInstance)
                .map(SessionAuthentication.class::cast)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .map(session -> {
                    String refusal = refusal(exchange, session.orElse(null));
                    if (refusal != null) {
                        exchange.getAttributes().put(REFUSAL_ATTRIBUTE, refusal);
                    }
                    return new AuthorizationDecision(refusal == null);
                });
    }

    /** Why the request may not pass, or null when it may. */
    private String refusal(ServerWebExchange exchange, SessionAuthentication session) {
        ServerHttpRequest request = exchange.getRequest();
        Optional<RoutePermissions.Route> route = routes.find(request.getMethod(), request.getPath().pathWithinApplication());
        if (route.isEmpty()) {
            return "no such route";
        }
        if (route.get().audience() == RoutePermissions.Audience.ANYONE) {
            return null;
        }
        if (session == null) {
            return "no valid session";
        }
        if (session.viaCookie() && !SAFE_METHODS.contains(request.getMethod()) && !sameOrigin(request)) {
            return "a state-changing call with the session cookie must come from this site (Origin header)";
        }
        Permission required = route.get().permission();
        if (required != null && !session.holds(required)) {
            return "role " + session.caller().role() + " lacks permission " + required;
        }
        return null;
    }

    /** The Origin's host and port are those the browser addressed, which is what the Host header says. */
    private static boolean sameOrigin(ServerHttpRequest request) {
        String origin = request.getHeaders().getOrigin();
        String host = request.getHeaders().getFirst(HttpHeaders.HOST);
        if (origin == null || host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                return false;
            }
            String authority = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }
}
