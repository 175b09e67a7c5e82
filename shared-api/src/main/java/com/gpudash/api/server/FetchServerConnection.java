package com.gpudash.api.server;

/**
 * How to reach a registered server, as its registration says: answered with its {@link ServerConnection}, refused
 * with a not-found {@link com.gpudash.api.DomainException} for a server the registry does not have.
 */
public record FetchServerConnection(ServerId serverId) {
}
