package com.gpudash.api.container.step;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/** Publish {@code routePath} to the server's host and {@code hostPort} in nginx, or find it published. */
public record ActivateRoute(ContainerId containerId, OperationId operationId, ServerId serverId, String routePath,
                            int hostPort) {
}
