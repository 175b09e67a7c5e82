package com.gpudash.api.container;

/** One user's route as the routes read model has it: {@code /<username>/} leads to the upstream. */
public record PublishedRoute(String username, String upstreamHost, int upstreamPort) {
}
