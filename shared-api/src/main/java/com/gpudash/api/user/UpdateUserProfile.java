package com.gpudash.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A null field stays as it is. */
public record UpdateUserProfile(@TargetAggregateIdentifier UserId userId, String email, String fullName) {
}
