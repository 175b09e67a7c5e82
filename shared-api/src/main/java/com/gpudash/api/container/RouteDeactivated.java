package com.gpudash.api.container;

public record RouteDeactivated(ContainerId containerId, OperationId operationId, String routePath) {
}
