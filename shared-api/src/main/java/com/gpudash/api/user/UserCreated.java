package com.gpudash.api.user;

/** An admin created the user: ACTIVE with {@code role}, and their first password is stored. */
public record UserCreated(UserId userId, String username, String email, String fullName, Role role) {
}
