package com.gpudash.api.cleanup;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

public record ServerCleanupFailed(ServerId serverId, OperationId operationId, String reason) {
}
