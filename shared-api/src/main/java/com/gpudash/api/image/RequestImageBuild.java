package com.gpudash.api.image;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Builds {@code tag} on one server from a Dockerfile alone (no other build context).
 *
 * @param requestedBy who may follow the operation besides admins (QVP users build images too)
 */
public record RequestImageBuild(@TargetAggregateIdentifier OperationId operationId, ServerId serverId, String tag,
                                String dockerfile, UserId requestedBy) {
}
