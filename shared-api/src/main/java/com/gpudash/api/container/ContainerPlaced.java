package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import java.util.List;

import com.gpudash.api.server.ServerId;

public record ContainerPlaced(ContainerId containerId, OperationId operationId, ServerId serverId,
                              List<String> gpuUuids) {
}
