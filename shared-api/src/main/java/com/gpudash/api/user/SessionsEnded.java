package com.gpudash.api.user;

/**
 * Published (as a Spring application event, in this JVM) when sessions end before their time, so that what
 * lives as long as a session (an open event stream) can end with it. Listeners that must not act on a change
 * that is rolled back listen after commit.
 *
 * @param sessionId the one session that ended (a logout), or null when every session of {@code userId} did
 * @param userId    whose sessions ended; null for a single logout
 */
public record SessionsEnded(String sessionId, UserId userId) {

    public boolean includes(String session, UserId user) {
        return sessionId != null ? sessionId.equals(session) : userId.equals(user);
    }
}
