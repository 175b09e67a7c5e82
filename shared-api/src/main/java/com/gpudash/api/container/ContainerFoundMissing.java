package com.gpudash.api.container;

import com.gpudash.api.server.ServerId;

/**
 * The container was gone from its server: it is FAILED with {@code reason}, still holding the server's GPUs until it
 * is removed (which finds nothing left to take down) or requested again after that removal.
 */
public record ContainerFoundMissing(ContainerId containerId, ServerId serverId, String containerName, String reason) {
}
