package com.gpudash.infra.agents;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.HostKeyTrust;
import com.gpudash.agent.SshTarget;
import com.gpudash.infra.config.Settings;
import org.springframework.stereotype.Component;

/**
 * How to reach one server's Docker Engine and shell, from what the registry says about it and the deployment's
 * settings (TLS certificates, plain TCP opt-in, the known_hosts file).
 */
@Component
public class ServerEndpoints {

    private final Settings settings;

    public ServerEndpoints(Settings settings) {
        this.settings = settings;
    }

    public DockerEndpoint docker(String dockerEndpoint) {
        URI uri = URI.create(dockerEndpoint);
        Path certificates = "tcp".equals(uri.getScheme()) ? certificatesFor(uri.getHost()) : null;
        return new DockerEndpoint(uri, certificates, settings.dockerAllowPlainTcp());
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

    private Path certificatesFor(String host) {
        return settings.dockerTlsCertDir()
                .map(dir -> Files.isDirectory(dir.resolve(host)) ? dir.resolve(host) : dir)
                .orElse(null);
    }
}
