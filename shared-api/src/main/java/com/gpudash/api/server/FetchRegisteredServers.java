package com.gpudash.api.server;

/**
 * Every registered server with what it takes to reach it, ordered by name. Answered by the query side with a
 * list of {@link RegisteredServer}; the workers that call the servers ask it instead of reading the read model.
 */
public record FetchRegisteredServers() {
}
