package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/** {@code routePath} is null when no route was published. */
public record ContainerRemovalRequested(ContainerId containerId, OperationId operationId, ServerId serverId,
                                        String containerName, String routePath) {
}
