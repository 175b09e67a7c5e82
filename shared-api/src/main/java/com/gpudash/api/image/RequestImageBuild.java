package com.gpudash.api.image;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Builds {@code tag} on one server from a Dockerfile alone (no other build context). */
public record RequestImageBuild(@TargetAggregateIdentifier OperationId operationId, ServerId serverId, String tag,
                                String dockerfile) {
}
