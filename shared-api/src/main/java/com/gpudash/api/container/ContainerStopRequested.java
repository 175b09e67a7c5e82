package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

public record ContainerStopRequested(ContainerId containerId, OperationId operationId, ServerId serverId,
                                     String containerName) {
}
