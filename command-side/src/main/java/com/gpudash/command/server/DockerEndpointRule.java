package com.gpudash.command.server;

import java.util.Optional;

/**
 * Whether the system would ever speak to a Docker endpoint under this deployment's settings: the adapter's own
 * rule, asked before a server is registered, so that an endpoint it would always refuse is never stored.
 */
public interface DockerEndpointRule {

    /** Why {@code dockerEndpoint} can never be used, or empty when it may be. */
    Optional<String> refusal(String dockerEndpoint);
}
