package com.gpudash.api.user;

import com.gpudash.api.operation.OperationId;

/**
 * The removal of the user's container, followed as {@code removalId}, starts in the same transaction (the saga
 * module's {@code UserContainers}). Events stored before the deletion carried it have null there.
 */
public record UserDeleted(UserId userId, OperationId removalId) {
}
