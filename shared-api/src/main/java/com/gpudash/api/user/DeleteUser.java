package com.gpudash.api.user;

import com.gpudash.api.operation.OperationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** @param removalId the operation the caller follows the removal of the user's container with */
public record DeleteUser(@TargetAggregateIdentifier UserId userId, OperationId removalId) {
}
