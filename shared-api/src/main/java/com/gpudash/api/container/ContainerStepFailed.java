package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;

public record ContainerStepFailed(ContainerId containerId, OperationId operationId, ContainerStep step, String reason,
                                  boolean retriable) {
}
