package com.gpudash.api.server;

public record ServerAdded(ServerId serverId, String name, ServerConnection connection, int maxContainers) {
}
