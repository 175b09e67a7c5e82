package com.gpudash.api.server;

/**
 * A registered server as the code that reaches it needs it. Unlike {@link ServerView} it carries the pinned SSH
 * host key, which the API never shows, so it is an answer between modules only.
 *
 * @param status the status the read model has recorded, which the telemetry compares its verdict with
 */
public record RegisteredServer(ServerId id, String name, ServerConnection connection, ServerStatus status) {
}
