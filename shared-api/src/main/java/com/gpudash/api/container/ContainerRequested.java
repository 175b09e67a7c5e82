package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;

public record ContainerRequested(ContainerId containerId, UserId userId, String username, ServerId requestedServerId,
                                 int gpuCount, OperationId operationId) {
}
