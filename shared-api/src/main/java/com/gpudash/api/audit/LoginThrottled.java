package com.gpudash.api.audit;

import java.time.Instant;

/** A login was refused unchecked (429) because the username is locked after too many failures. */
public record LoginThrottled(String username, Instant lockedUntil) {
}
