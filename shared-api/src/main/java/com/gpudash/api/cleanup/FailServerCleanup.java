package com.gpudash.api.cleanup;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code reason} is said so that a person understands it; failing a cleanup that is over already is a no-op. */
public record FailServerCleanup(@TargetAggregateIdentifier ServerId serverId, OperationId operationId, String reason) {
}
