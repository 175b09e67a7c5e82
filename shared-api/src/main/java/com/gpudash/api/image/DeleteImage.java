package com.gpudash.api.image;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/**
 * For the image worker, which calls the server's Docker Engine outside any unit of work that appends events and
 * reports the outcome to the operation. Deleting an image that is already gone succeeds, so a retry is harmless.
 */
public record DeleteImage(OperationId operationId, ServerId serverId, String imageId, boolean force) {
}
