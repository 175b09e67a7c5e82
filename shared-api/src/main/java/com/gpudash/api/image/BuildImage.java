package com.gpudash.api.image;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/** For the image worker; building the same tag again replaces it, so a retry is harmless. */
public record BuildImage(OperationId operationId, ServerId serverId, String tag, String dockerfile) {
}
