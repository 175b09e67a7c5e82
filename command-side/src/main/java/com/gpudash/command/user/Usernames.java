package com.gpudash.command.user;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a username may be. Usernames become container names, directory names and the first segment of a user's
 * URL path behind nginx, so they are strictly shaped, and names that the dashboard or the proxy already route
 * are reserved.
 */
public final class Usernames {

    public static final Pattern SHAPE = Pattern.compile("^[a-z][a-z0-9_-]{2,31}$");

    /** Paths the dashboard and its proxy use, and names that would pass for the system in a log. */
    public static final Set<String> RESERVED = Set.of(
            "admin", "administrator", "root", "system", "api", "health", "actuator", "metrics", "prometheus",
            "static", "assets", "public", "login", "logout", "register", "dashboard", "docs", "swagger",
            "openapi", "user", "users", "containers", "servers", "images", "operations", "events", "logs",
            "stats", "nginx", "www", "gpudash", "ws", "websocket", "auth", "oauth", "sso");

    private Usernames() {
    }

    /** Why {@code username} cannot be used, or empty when it can. */
    public static Optional<String> problem(String username) {
        if (username == null || !SHAPE.matcher(username).matches()) {
            return Optional.of("must match " + SHAPE.pattern()
                    + " (3 to 32 lower-case letters, digits, '_' or '-', starting with a letter)");
        }
        if (RESERVED.contains(username)) {
            return Optional.of("'" + username + "' is reserved");
        }
        return Optional.empty();
    }
}
