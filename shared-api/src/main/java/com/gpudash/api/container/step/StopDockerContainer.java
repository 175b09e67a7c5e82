package com.gpudash.api.container.step;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/** Stop the container, or find it stopped. */
public record StopDockerContainer(ContainerId containerId, OperationId operationId, ServerId serverId,
                                  String containerName) {
}
