package com.gpudash.api.container;

/**
 * The user whose container it is, once the containers read model has it: answered with an optional
 * {@link com.gpudash.api.user.UserId}.
 */
public record FetchContainerOwner(ContainerId containerId) {
}
