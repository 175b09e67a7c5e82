package com.gpudash.api.server;

/**
 * Whether a server was ever added, removed ones included (the event store is asked, not the registry): answered
 * with a {@link Boolean}. Once one was, the registry is the admins' and the deployment's AGENTS_LIST is not read.
 */
public record FetchAnyServerEverAdded() {
}
