package com.gpudash.api.audit;

/**
 * A login was refused. An unknown username and a wrong password give the same reason, so the log tells an
 * attacker nothing the answer did not; the attempted username is the event's actor name. Never the password.
 *
 * @param username the username as it was typed
 * @param reason   what the caller was told
 */
public record LoginFailed(String username, String reason) {
}
