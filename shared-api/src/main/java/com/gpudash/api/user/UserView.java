package com.gpudash.api.user;

import java.time.Instant;

/**
 * The {@code user} object of the HTTP contract. {@code container} is the user's container object, or null while
 * they have none.
 */
public record UserView(UserId id,
                       String username,
                       String email,
                       String fullName,
                       Role role,
                       UserStatus status,
                       Instant createdAt,
                       Instant approvedAt,
                       UserId approvedBy,
                       Object container) {
}
