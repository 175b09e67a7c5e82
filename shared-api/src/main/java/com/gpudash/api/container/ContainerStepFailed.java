package com.gpudash.api.container;

public record ContainerStepFailed(ContainerId containerId, OperationId operationId, ContainerStep step, String reason,
                                  boolean retriable) {
}
