package com.gpudash.api.container.step;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/** Start the container, or find it running; answer the host port that publishes the service port. */
public record StartDockerContainer(ContainerId containerId, OperationId operationId, ServerId serverId,
                                   String containerName) {
}
