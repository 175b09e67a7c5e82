package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/** {@code serverId} is where the GPUs are to be released; null when nothing was placed. */
public record ContainerRemoved(ContainerId containerId, OperationId operationId, ServerId serverId) {
}
