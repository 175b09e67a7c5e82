package com.gpudash.api.container;

public record RouteActivated(ContainerId containerId, OperationId operationId, String routePath, String url) {
}
