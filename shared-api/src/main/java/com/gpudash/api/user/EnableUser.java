package com.gpudash.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record EnableUser(@TargetAggregateIdentifier UserId userId) {
}
