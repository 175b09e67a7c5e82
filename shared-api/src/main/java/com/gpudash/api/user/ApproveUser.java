package com.gpudash.api.user;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Approves a user and, with it, asks for their container; the container's provisioning follows from the
 * {@link UserApproved} it records.
 *
 * @param provisioningId the operation the caller follows the provisioning with
 * @param requestedServerId the server the admin chose, or null to let placement choose
 * @param gpuCount how many GPUs the container gets; 0 for none
 */
public record ApproveUser(@TargetAggregateIdentifier UserId userId, UserId approvedBy, OperationId provisioningId,
                          ServerId requestedServerId, int gpuCount) {
}
