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
 * side) and the deployment's settings (TLS certificates, plain TCP opt-in, the SSH key and known_hosts file).
 */
@Component
public class ServerEndpoints implements ServerConnections, DockerEndpointRule {

    static final int AGENTS_LIST_SSH_PORT = 22;
    static final String AGENTS_LIST_SSH_USER = "root";

    private final Settings settings;
    private final QueryGateway queries;

    public ServerEndpoints(Settings settings, QueryGateway queries) {
        this.settings = settings;
        this.queries = queries;
    }

    @Override
    public DockerEndpoint docker(ServerId serverId) {
        return docker(registered(serverId));
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

    @Override
    public DockerEndpoint docker(ServerConnection server) {
        return docker(server, settings);
    }

    /**
     * The server's engine as the adapter is given it under these settings. A tcp endpoint uses TLS with the
     * certificates of {@code DOCKER_TLS_CERT_DIR/<host>} (or the directory itself) when configured. An ssh endpoint is
     * spoken over the server's own SSH login, so it must name exactly that login ({@code sshUser@host:sshPort}): one
     * SSH connection per server, trusting the host key registered for it or SSH_KNOWN_HOSTS, with SSH_PRIVATE_KEY.
     *
     * @throws IllegalArgumentException for an endpoint that is none, or an ssh one that cannot be spoken to so
     */
    public static DockerEndpoint docker(ServerConnection server, Settings settings) {
        URI uri = URI.create(server.dockerEndpoint());
        if (!"ssh".equals(uri.getScheme())) {
            Path certificates = "tcp".equals(uri.getScheme()) ? certificatesFor(settings.dockerTlsCertDir(), uri.getHost()) : null;
            return new DockerEndpoint(uri, certificates, settings.dockerAllowPlainTcp(), null);
        }
        if (settings.sshPrivateKey().isEmpty()) {
            throw new IllegalArgumentException(uri + " is spoken to over SSH with the management key, and SSH_PRIVATE_KEY"
                    + " is not set");
        }
        DockerEndpoint endpoint = new DockerEndpoint(uri, null, false,
                hostKeys(server.sshHostKey(), settings).orElse(null));
        SshTarget login = endpoint.sshTarget();
        if (!login.host().equalsIgnoreCase(server.host()) || login.port() != server.sshPort()
                || !login.user().equals(server.sshUser())) {
            throw new IllegalArgumentException(uri + " must name the server's SSH login " + server.sshUser() + "@"
                    + server.host() + ":" + server.sshPort() + " (host, sshUser, sshPort): the Engine API travels over"
                    + " that connection");
        }
        return endpoint;
    }

    /**
     * How a host of AGENTS_LIST is registered: over its SSH login as root on port 22 when SSH_PRIVATE_KEY is set and
     * no DOCKER_TLS_CERT_DIR is, so such a server needs nothing but sshd and Docker; else plain
     * {@code tcp://host:AGENT_PORT}, an IPv6 address in brackets.
     */
    public static ServerConnection agentsListServer(String host, Settings settings) {
        boolean bareIpv6 = host.contains(":") && !host.startsWith("[");
        String authority = bareIpv6 ? "[" + host + "]" : host;
        String endpoint = settings.sshPrivateKey().isPresent() && settings.dockerTlsCertDir().isEmpty()
                ? "ssh://" + AGENTS_LIST_SSH_USER + "@" + authority + ":" + AGENTS_LIST_SSH_PORT
                : "tcp://" + authority + ":" + settings.agentPort();
        return new ServerConnection(host, endpoint, AGENTS_LIST_SSH_PORT, AGENTS_LIST_SSH_USER, null);
    }

    @Override
    public Optional<String> refusal(ServerConnection server) {
        return refusal(server, settings);
    }

    /** {@link DockerEndpoint#refusal()} under these settings; an endpoint that is not one is refused for that. */
    public static Optional<String> refusal(ServerConnection server, Settings settings) {
        try {
            return docker(server, settings).refusal();
        } catch (IllegalArgumentException notAnEndpoint) {
            return Optional.of(notAnEndpoint.getMessage());
        }
    }

    /** Empty when the server cannot be reached over SSH: no private key, or no host key to trust. */
    public Optional<SshTarget> ssh(String host, int port, String user, String pinnedHostKey) {
        if (settings.sshPrivateKey().isEmpty()) {
            return Optional.empty();
        }
        return hostKeys(pinnedHostKey, settings).map(hostKeys -> new SshTarget(host, port, user, hostKeys));
    }

    /** The key registered for the server, else SSH_KNOWN_HOSTS; a blank key counts as none. */
    private static Optional<HostKeyTrust> hostKeys(String pinnedHostKey, Settings settings) {
        return pinnedHostKey != null && !pinnedHostKey.isBlank()
                ? Optional.of(new HostKeyTrust.Pinned(pinnedHostKey))
                : settings.sshKnownHosts().map(HostKeyTrust.KnownHosts::new);
    }

    private static Path certificatesFor(Optional<Path> tlsCertDir, String host) {
        return tlsCertDir.map(dir -> Files.isDirectory(dir.resolve(host)) ? dir.resolve(host) : dir).orElse(null);
    }
}
