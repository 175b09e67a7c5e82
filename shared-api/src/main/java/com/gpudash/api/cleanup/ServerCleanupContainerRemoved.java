package com.gpudash.api.cleanup;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/** One stopped container no assignment owned, removed by a cleanup. */
public record ServerCleanupContainerRemoved(ServerId serverId, OperationId operationId, String dockerContainerId) {
}
