package com.gpudash.api.user;

/** An admin set a new password; the user's sessions should end. */
public record PasswordReset(UserId userId) {
}
