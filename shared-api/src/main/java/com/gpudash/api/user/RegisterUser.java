package com.gpudash.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Self-registration: the user starts PENDING with role REGULAR and waits for an admin. */
public record RegisterUser(@TargetAggregateIdentifier UserId userId,
                           String username,
                           String email,
                           String fullName,
                           PasswordHash passwordHash) {
}
