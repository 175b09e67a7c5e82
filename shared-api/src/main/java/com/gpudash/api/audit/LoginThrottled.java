package com.gpudash.api.audit;

import java.time.Instant;

/**
 * A login was refused unchecked (429): too many failures for the account from that address, from that address or
 * for the account, or too many checks from that address at once. {@code lockedUntil}: until when logins are held
 * (the name predates the back-off; stored events keep it).
 */
public record LoginThrottled(String username, Instant lockedUntil) {
}
