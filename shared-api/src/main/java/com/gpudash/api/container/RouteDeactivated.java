package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

public record RouteDeactivated(ContainerId containerId, OperationId operationId, String routePath) {
}
