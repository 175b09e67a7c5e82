package com.gpudash.infra.security;

import java.time.Clock;

import com.gpudash.infra.web.ProblemJsonExceptionHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * The security wiring: sessions from {@link SessionAuthenticationFilter}, every request decided by the
 * {@link RoutePermissions} table, refusals answered as problem+json and recorded. Nothing of Spring Security's
 * browser machinery (form login, basic auth, its own logout and CSRF tokens, server-side security contexts) is
 * used: the API has its own login, and cookies are guarded by SameSite=Strict plus the Origin check.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    @Bean
    RoutePermissions routePermissions() {
        return RoutePermissions.contract();
    }

    @Bean
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, RoutePermissions routes, DatabaseClient database,
                                       Clock clock, ProblemJsonExceptionHandler problems) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .addFilterAt(new SessionAuthenticationFilter(database, clock), SecurityWebFiltersOrder.AUTHENTICATION)
                .authorizeExchange(exchanges -> exchanges.anyExchange().access(new RouteAuthorization(routes)))
                .exceptionHandling(refusals -> refusals
                        .authenticationEntryPoint(problems::handle)
                        .accessDeniedHandler((exchange, denied) -> {
                            String reason = exchange.getAttribute(RouteAuthorization.REFUSAL_ATTRIBUTE);
                            return problems.handle(exchange, reason == null ? denied : new AccessDeniedException(reason));
                        }))
                .build();
    }
}
