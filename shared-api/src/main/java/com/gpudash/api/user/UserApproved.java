package com.gpudash.api.user;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/**
 * {@code approvedBy} is part of the user as the contract shows it, so it is domain data, not audit metadata. The
 * rest is the container the approval asked for, which is requested in the same transaction (the saga module's
 * {@code UserContainers}). Events stored before the approval carried the request have null there.
 */
public record UserApproved(UserId userId, UserId approvedBy, String username, OperationId provisioningId,
                           ServerId requestedServerId, int gpuCount) {
}
