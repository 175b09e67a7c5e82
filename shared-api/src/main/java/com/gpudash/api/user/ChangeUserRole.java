package com.gpudash.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ChangeUserRole(@TargetAggregateIdentifier UserId userId, Role role) {
}
