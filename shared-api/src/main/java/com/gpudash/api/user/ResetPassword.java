package com.gpudash.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An admin sets a new password for a user. */
public record ResetPassword(@TargetAggregateIdentifier UserId userId, PasswordHash passwordHash) {
}
