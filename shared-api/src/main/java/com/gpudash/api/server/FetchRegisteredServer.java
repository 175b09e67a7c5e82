package com.gpudash.api.server;

/**
 * One registered server. Answered by the query side with its {@link RegisteredServer}, or refused with a
 * {@link com.gpudash.api.DomainException} NOT_FOUND when no such server is registered.
 */
public record FetchRegisteredServer(ServerId serverId) {
}
