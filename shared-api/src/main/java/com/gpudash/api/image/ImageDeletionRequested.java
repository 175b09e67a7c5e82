package com.gpudash.api.image;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

public record ImageDeletionRequested(OperationId operationId, ServerId serverId, String imageId, boolean force) {
}
