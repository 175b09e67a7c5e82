package com.gpudash.api.image;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An admin's request; the operation it creates follows the deletion, which a worker does later. */
public record RequestImageDeletion(@TargetAggregateIdentifier OperationId operationId, ServerId serverId, String imageId,
                                   boolean force) {
}
