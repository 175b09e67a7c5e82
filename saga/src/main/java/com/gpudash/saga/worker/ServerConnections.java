package com.gpudash.saga.worker;

import java.util.Optional;

import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.SshTarget;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;

/** How the workers reach a registered server; infra answers from the registry and the deployment's settings. */
public interface ServerConnections {

    /** @throws com.gpudash.api.DomainException NOT_FOUND when no such server is registered */
    DockerEndpoint docker(ServerId serverId);

    /** Empty when the server cannot be reached over SSH: no private key, or no host key to trust. */
    Optional<SshTarget> ssh(ServerId serverId);

    /**
     * The engine of a registration already at hand, under the deployment's settings (TLS certificates, plain TCP
     * opt-in, the SSH key and host keys of an ssh:// endpoint): for a worker that need not look it up again.
     *
     * @throws IllegalArgumentException when the registration names no endpoint that can be spoken to
     */
    DockerEndpoint docker(ServerConnection server);

    /** As {@link #ssh(ServerId)}, from a registration already at hand; a blank host key falls back to known_hosts. */
    Optional<SshTarget> ssh(String host, int port, String user, String pinnedHostKey);
}
