package com.gpudash.api.user;

/** The user set a new password themselves. */
public record PasswordChanged(UserId userId) {
}
