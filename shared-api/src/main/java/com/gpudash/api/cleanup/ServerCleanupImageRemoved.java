package com.gpudash.api.cleanup;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/** One dangling image no container used, removed by a cleanup. */
public record ServerCleanupImageRemoved(ServerId serverId, OperationId operationId, String imageId) {
}
