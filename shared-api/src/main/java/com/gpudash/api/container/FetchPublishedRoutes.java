package com.gpudash.api.container;

/**
 * Every published route, which becomes the whole nginx config: answered with a list of {@link PublishedRoute}.
 * During a rebuild of the read models the answer waits for its end, so that a config is never written from a
 * half-filled table; past a while it fails, and the asker tries again later.
 */
public record FetchPublishedRoutes() {
}
