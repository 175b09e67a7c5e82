package com.gpudash.infra.agents;

import static com.gpudash.api.QueryAnswers.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.HostKeyTrust;
import com.gpudash.agent.SshTarget;
import com.gpudash.api.server.FetchRegisteredServer;
import com.gpudash.api.server.RegisteredServer;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.command.server.DockerEndpointRule;
import com.gpudash.infra.config.Settings;
import com.gpudash.saga.worker.ServerConnections;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

/**
 * How to reach one server's Docker Engine and shell, from what the registry says about it (asked of the query
 * side) and the deployment's settings (TLS certificates, plain TCP opt-in, the known_hosts file).
 */
@Component
public class ServerEndpoints implements ServerConnections, DockerEndpointRule {

    private final Settings settings;
    private final QueryGateway queries;

    public ServerEndpoints(Settings settings, QueryGateway queries) {
        this.settings = settings;
        this.queries = queries;
    }

    @Override
    public DockerEndpoint docker(ServerId serverId) {
        return docker(registered(serverId).dockerEndpoint());
    }

    @Override
    public Optional<SshTarget> ssh(ServerId serverId) {
        ServerConnection registered = registered(serverId);
        return ssh(registered.host(), registered.sshPort(), registered.sshUser(), registered.sshHostKey());
    }

    /** Refused with a not-found {@link com.gpudash.api.DomainException} for a server the registry does not have. */
    private ServerConnection registered(ServerId serverId) {
        return await(queries.query(new FetchRegisteredServer(serverId), RegisteredServer.class)).connection();
    }

    public DockerEndpoint docker(String dockerEndpoint) {
        return docker(dockerEndpoint, settings.dockerTlsCertDir(), settings.dockerAllowPlainTcp());
    }

    /**
     * The endpoint as the adapter is given it under these settings: TLS with the certificates of
     * {@code DOCKER_TLS_CERT_DIR/<host>} (or the directory itself) when configured, for tcp only.
     */
    public static DockerEndpoint docker(String dockerEndpoint, Optional<Path> tlsCertDir, boolean allowPlainTcp) {
        URI uri = URI.create(dockerEndpoint);
        Path certificates = "tcp".equals(uri.getScheme()) ? certificatesFor(tlsCertDir, uri.getHost()) : null;
        return new DockerEndpoint(uri, certificates, allowPlainTcp, null);
    }

    /** The endpoint of a host of AGENTS_LIST: plain {@code tcp://host:AGENT_PORT}, an IPv6 address in brackets. */
    public static String agentsListEndpoint(String host, int agentPort) {
        boolean bareIpv6 = host.contains(":") && !host.startsWith("[");
        return "tcp://" + (bareIpv6 ? "[" + host + "]" : host) + ":" + agentPort;
    }

    @Override
    public Optional<String> refusal(String dockerEndpoint) {
        return refusal(dockerEndpoint, settings.dockerTlsCertDir(), settings.dockerAllowPlainTcp());
    }

    /** {@link DockerEndpoint#refusal()} under these settings; an endpoint that is not one is refused for that. */
    public static Optional<String> refusal(String dockerEndpoint, Optional<Path> tlsCertDir, boolean allowPlainTcp) {
        try {
            return docker(dockerEndpoint, tlsCertDir, allowPlainTcp).refusal();
        } catch (IllegalArgumentException notAnEndpoint) {
            return Optional.of(notAnEndpoint.getMessage());
        }
    }

    /** Empty when the server cannot be reached over SSH: no private key, or no host key to trust. */
    public Optional<SshTarget> ssh(String host, int port, String user, String pinnedHostKey) {
        if (settings.sshPrivateKey().isEmpty()) {
            return Optional.empty();
        }
        Optional<HostKeyTrust> trust = pinnedHostKey != null && !pinnedHostKey.isBlank()
                ? Optional.of(new HostKeyTrust.Pinned(pinnedHostKey))
                : settings.sshKnownHosts().map(HostKeyTrust.KnownHosts::new);
        return trust.map(hostKeys -> new SshTarget(host, port, user, hostKeys));
    }

    private static Path certificatesFor(Optional<Path> tlsCertDir, String host) {
        return tlsCertDir.map(dir -> Files.isDirectory(dir.resolve(host)) ? dir.resolve(host) : dir).orElse(null);
    }
}
