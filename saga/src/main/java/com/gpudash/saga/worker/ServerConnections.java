package com.gpudash.saga.worker;

import java.util.Optional;

import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.SshTarget;
import com.gpudash.api.server.ServerId;

/** How the workers reach a registered server; infra answers from the registry and the deployment's settings. */
public interface ServerConnections {

    /** @throws com.gpudash.api.DomainException NOT_FOUND when no such server is registered */
    DockerEndpoint docker(ServerId serverId);

    /** Empty when the server cannot be reached over SSH: no private key, or no host key to trust. */
    Optional<SshTarget> ssh(ServerId serverId);
}
