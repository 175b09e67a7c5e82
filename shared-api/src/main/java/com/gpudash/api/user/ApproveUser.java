package com.gpudash.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ApproveUser(@TargetAggregateIdentifier UserId userId, UserId approvedBy) {
}
