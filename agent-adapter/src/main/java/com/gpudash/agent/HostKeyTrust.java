package com.gpudash.agent;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which host keys a server may present. There is deliberately no "accept any": that is Apache SSHD's default (it
 * only logs a warning), and it would hand the GPU servers' credentials to whoever answers on their address.
 */
public sealed interface HostKeyTrust {

    /**
     * The one key registered for the server.
     *
     * @param openSshPublicKey a line as in {@code ssh_host_ed25519_key.pub}: {@code ssh-ed25519 AAAA… [comment]}
     */
    record Pinned(String openSshPublicKey) implements HostKeyTrust {
        public Pinned {
            Objects.requireNonNull(openSshPublicKey, "openSshPublicKey");
        }
    }

    /** The keys an OpenSSH {@code known_hosts} file lists for the server's host and port. */
    record KnownHosts(Path file) implements HostKeyTrust {
        public KnownHosts {
            Objects.requireNonNull(file, "file");
        }
    }
}
