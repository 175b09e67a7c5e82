package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

public record RouteActivated(ContainerId containerId, OperationId operationId, String routePath, String url) {
}
