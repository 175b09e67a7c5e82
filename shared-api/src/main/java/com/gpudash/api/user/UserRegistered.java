package com.gpudash.api.user;

/** The user registered themselves: PENDING, role REGULAR, and their first password is stored. */
public record UserRegistered(UserId userId, String username, String email, String fullName) {
}
