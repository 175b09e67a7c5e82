package com.gpudash.command.server;

import java.util.Optional;

import com.gpudash.api.server.ServerConnection;

/**
 * Whether the system would ever speak to a Docker endpoint under this deployment's settings: the adapter's own
 * rule, asked before a server is registered, so that an endpoint it would always refuse is never stored.
 */
public interface DockerEndpointRule {

    /**
     * Why the Docker endpoint of {@code server} can never be used, or empty when it may be; an ssh:// endpoint is
     * judged with the server's SSH login and host key.
     */
    Optional<String> refusal(ServerConnection server);
}
