package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

public record ContainerStartRequested(ContainerId containerId, OperationId operationId, ServerId serverId,
                                      String containerName) {
}
