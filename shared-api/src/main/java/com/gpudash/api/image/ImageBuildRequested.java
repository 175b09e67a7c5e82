package com.gpudash.api.image;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

public record ImageBuildRequested(OperationId operationId, ServerId serverId, String tag, String dockerfile) {
}
