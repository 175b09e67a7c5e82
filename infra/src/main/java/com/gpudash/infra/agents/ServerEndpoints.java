package com.gpudash.infra.agents;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.HostKeyTrust;
import com.gpudash.agent.SshTarget;
import com.gpudash.api.DomainException;
import com.gpudash.api.server.ServerId;
import com.gpudash.command.server.DockerEndpointRule;
import com.gpudash.infra.config.Settings;
import com.gpudash.saga.worker.ServerConnections;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How to reach one server's Docker Engine and shell, from what the registry says about it and the deployment's
 * settings (TLS certificates, plain TCP opt-in, the known_hosts file).
 */
@Component
public class ServerEndpoints implements ServerConnections, DockerEndpointRule {

    private final Settings settings;
    private final JdbcTemplate jdbc;

    public ServerEndpoints(Settings settings, JdbcTemplate jdbc) {
        this.settings = settings;
        this.jdbc = jdbc;
    }

    @Override
    public DockerEndpoint docker(ServerId serverId) {
        return docker(registered(serverId, "docker_endpoint").get(0));
    }

    @Override
    public Optional<SshTarget> ssh(ServerId serverId) {
        List<String> row = registered(serverId, "host", "ssh_port", "ssh_user", "ssh_host_key");
        return ssh(row.get(0), Integer.parseInt(row.get(1)), row.get(2), row.get(3));
    }

    private List<String> registered(ServerId serverId, String... columns) {
        List<List<String>> rows = jdbc.query("SELECT " + String.join(", ", columns) + " FROM server_view WHERE id = ?",
                (rs, n) -> {
                    List<String> values = new java.util.ArrayList<>();
                    for (String column : columns) {
                        values.add(rs.getString(column));
                    }
                    return values;
                }, serverId.value());
        if (rows.isEmpty()) {
            throw DomainException.notFound("No server " + serverId);
        }
        return rows.get(0);
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
        return new DockerEndpoint(uri, certificates, allowPlainTcp);
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
