package com.gpudash.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The user sets a new password for themselves. */
public record ChangePassword(@TargetAggregateIdentifier UserId userId, PasswordHash passwordHash) {
}
