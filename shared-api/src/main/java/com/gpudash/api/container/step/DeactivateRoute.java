package com.gpudash.api.container.step;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.operation.OperationId;

/** Take {@code routePath} out of nginx, or find it gone. */
public record DeactivateRoute(ContainerId containerId, OperationId operationId, String routePath) {
}
