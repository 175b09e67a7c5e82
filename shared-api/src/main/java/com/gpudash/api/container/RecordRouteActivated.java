package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Sent once nginx has been reloaded with the route; {@code url} is what the user opens. */
public record RecordRouteActivated(@TargetAggregateIdentifier ContainerId containerId, OperationId operationId,
                                   String routePath, String url) {
}
