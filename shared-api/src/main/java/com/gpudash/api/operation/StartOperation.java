package com.gpudash.api.operation;

import java.util.Map;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * @param target what the operation acts on, e.g. {@code {"serverId": "…", "imageId": "sha256:…"}}
 * @param ownerUserId the user who may read it besides admins (null: admins only)
 */
public record StartOperation(@TargetAggregateIdentifier OperationId operationId, OperationType type,
                             Map<String, String> target, String ownerUserId) {
}
