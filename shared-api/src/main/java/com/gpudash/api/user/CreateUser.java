package com.gpudash.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An admin creates an account: it is ACTIVE at once, with the role the admin chose. */
public record CreateUser(@TargetAggregateIdentifier UserId userId,
                         String username,
                         String email,
                         String fullName,
                         Role role,
                         PasswordHash passwordHash) {
}
