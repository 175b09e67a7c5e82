package com.gpudash.infra.security;

import com.gpudash.api.user.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import static com.gpudash.api.user.Permission.BUILD_IMAGES;
import static com.gpudash.api.user.Permission.DELETE_IMAGE;
import static com.gpudash.api.user.Permission.MANAGE_SERVERS;
import static com.gpudash.api.user.Permission.MANAGE_SYSTEM;
import static com.gpudash.api.user.Permission.MANAGE_USERS;
import static com.gpudash.api.user.Permission.VIEW_AUDIT;
import static com.gpudash.api.user.Permission.VIEW_DASHBOARD;
import static com.gpudash.api.user.Permission.VIEW_SERVERS;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

/**
 * Every route the API has, and who may call it: the whole access policy on one page. A request that matches no
 * row is refused (401 without a session, 403 with one) before any handler sees it, so an endpoint without a row
 * here is unreachable. Routes of later work are listed already; until their handlers exist, an allowed call to
 * one is a 404.
 * <p>
 * {@link #open} routes need no session; {@link #signedIn} routes need the session of an ACTIVE user (handlers
 * check ownership where the contract says "owner or admin"); {@link #guarded} routes also need the permission.
 */
public final class RoutePermissions {

    public static final List<Route> CONTRACT = List.of(
            // Authentication
            open(POST, "/api/login"),
            open(POST, "/api/register"),
            signedIn(POST, "/api/logout"),
            signedIn(GET, "/api/validate-session"),
            signedIn(POST, "/api/user/password"),
            // Users
            guarded(GET, "/api/admin/users", MANAGE_USERS),
            guarded(POST, "/api/admin/users", MANAGE_USERS),
            guarded(GET, "/api/admin/users/{id}", MANAGE_USERS),
            guarded(PUT, "/api/admin/users/{id}", MANAGE_USERS),
            guarded(DELETE, "/api/users/{id}", MANAGE_USERS),
            guarded(POST, "/api/admin/users/{id}/approve", MANAGE_USERS),
            guarded(POST, "/api/admin/users/{id}/reject", MANAGE_USERS),
            guarded(POST, "/api/admin/users/{id}/reset-password", MANAGE_USERS),
            guarded(GET, "/api/admin/users/{id}/history", VIEW_AUDIT),
            // Servers
            guarded(GET, "/api/admin/servers", VIEW_SERVERS),
            guarded(GET, "/api/admin/servers/{id}", VIEW_SERVERS),
            guarded(POST, "/api/admin/servers", MANAGE_SERVERS),
            guarded(DELETE, "/api/admin/servers/{id}", MANAGE_SERVERS),
            guarded(GET, "/api/admin/servers/{id}/stats", VIEW_SERVERS),
            guarded(POST, "/api/admin/servers/{id}/cleanup", MANAGE_SERVERS),
            // Docker images
            guarded(GET, "/api/admin/docker-images", VIEW_SERVERS),
            guarded(DELETE, "/api/admin/docker-images/{id}", DELETE_IMAGE),
            guarded(POST, "/api/admin/docker-images/build", BUILD_IMAGES),
            // A user's own container
            signedIn(GET, "/api/user/services"),
            signedIn(GET, "/api/user/container/status"),
            signedIn(POST, "/api/containers/{id}/start"),
            signedIn(POST, "/api/containers/{id}/stop"),
            signedIn(GET, "/api/operations/{id}"),
            // Health, audit, statistics
            open(GET, "/health"),
            // The actuator answers only on the management port (METRICS_PORT), for probes and Prometheus.
            open(GET, "/actuator/health"),
            open(GET, "/actuator/health/**"),
            open(GET, "/actuator/info"),
            open(GET, "/actuator/prometheus"),
            guarded(GET, "/api/admin/logs", VIEW_AUDIT),
            guarded(GET, "/api/admin/stats", VIEW_DASHBOARD),
            // Who called how much is a record of users' activity, like the audit log, not a part of managing them.
            guarded(GET, "/api/admin/traffic", VIEW_AUDIT),
            signedIn(GET, "/api/events/stream"),
            // Beyond the contract: the read models' processors and their rebuild from the event store.
            guarded(GET, "/api/admin/projections", MANAGE_SYSTEM),
            guarded(POST, "/api/admin/projections/replay", MANAGE_SYSTEM),
            // The contract as OpenAPI: the same for every installation and public in the source, so hiding it
            // would protect nothing (README, "The contract").
            open(GET, "/api/openapi.yaml"));

    /** Who may call a route: anyone, any signed-in ACTIVE user, or only holders of a permission. */
    public enum Audience { ANYONE, SIGNED_IN }

    /** @param permission required besides being signed in; null when being signed in is enough */
    public record Route(HttpMethod method, PathPattern pattern, Audience audience, Permission permission) {

        boolean matches(HttpMethod requestMethod, PathContainer path) {
            return method.equals(requestMethod) && pattern.matches(path);
        }

        @Override
        public String toString() {
            return method + " " + pattern + " (" + (permission != null ? permission : audience) + ")";
        }
    }

    private final List<Route> routes;

    public RoutePermissions(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public static RoutePermissions contract() {
        return new RoutePermissions(CONTRACT);
    }

    /** This table with more routes, for a test's own endpoints. */
    public RoutePermissions with(Route... more) {
        List<Route> all = new ArrayList<>(routes);
        all.addAll(List.of(more));
        return new RoutePermissions(all);
    }

    public List<Route> routes() {
        return routes;
    }

    public Optional<Route> find(HttpMethod method, PathContainer path) {
        return routes.stream().filter(route -> route.matches(method, path)).findFirst();
    }

    public static Route open(HttpMethod method, String pattern) {
        return new Route(method, parse(pattern), Audience.ANYONE, null);
    }

    public static Route signedIn(HttpMethod method, String pattern) {
        return new Route(method, parse(pattern), Audience.SIGNED_IN, null);
    }

    public static Route guarded(HttpMethod method, String pattern, Permission permission) {
        return new Route(method, parse(pattern), Audience.SIGNED_IN, permission);
    }

    private static PathPattern parse(String pattern) {
        return PathPatternParser.defaultInstance.parse(pattern);
    }
}
