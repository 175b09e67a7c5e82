package com.gpudash.api.cleanup;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

public record ServerCleanupRequested(ServerId serverId, OperationId operationId, boolean dryRun,
                                     boolean stoppedContainers, boolean danglingImages) {
}
