package com.gpudash.api.audit;

import com.gpudash.api.user.UserId;

/** A session was opened. The user is also the event's actor ({@link AuditMetadata}). */
public record LoginSucceeded(UserId userId, String username) {
}
