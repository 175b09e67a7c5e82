package com.gpudash.api.container;

import com.gpudash.api.server.ServerId;

/**
 * A user's container as the containers read model knows it.
 *
 * @param serverId null when it has no server (requested, or given back)
 */
public record KnownContainer(ContainerId containerId, ServerId serverId, ContainerStatus status, String containerName) {
}
