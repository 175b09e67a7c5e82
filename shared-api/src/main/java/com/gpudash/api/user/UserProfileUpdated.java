package com.gpudash.api.user;

/**
 * Carries only what changed: a null field kept its value. At least one field is not null, so a user's history
 * shows exactly what an update changed.
 */
public record UserProfileUpdated(UserId userId, String email, String fullName) {
}
