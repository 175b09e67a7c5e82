package com.gpudash.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code reason} may be null: the contract makes it optional. */
public record RejectUser(@TargetAggregateIdentifier UserId userId, String reason) {
}
