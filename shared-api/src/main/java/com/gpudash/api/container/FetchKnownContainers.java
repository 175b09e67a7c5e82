package com.gpudash.api.container;

/** Every user's container the containers read model knows: answered with a list of {@link KnownContainer}. */
public record FetchKnownContainers() {
}
