package com.gpudash.api.user;

import com.gpudash.api.operation.OperationId;

/**
 * The user's container is removed in the same transaction under {@code removalId} (the saga module's
 * {@code UserContainers}). Events stored before the deletion carried it have null there.
 */
public record UserDeleted(UserId userId, OperationId removalId) {
}
