package com.gpudash.api.user;

import java.time.Instant;

/**
 * The authenticated user behind a request, as the security layer found them through their session. Handlers
 * read it from the request attribute {@link #ATTRIBUTE}; it is there on every route that needs a session.
 *
 * @param sessionId the stored hash of the session token, never the token itself
 */
public record Caller(UserId userId, String username, Role role, String sessionId, Instant sessionExpiresAt) {

    public static final String ATTRIBUTE = "gpudash.caller";
}
