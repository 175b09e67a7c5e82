package com.gpudash.api.user;

/** {@code reason} may be null. */
public record UserRejected(UserId userId, String reason) {
}
