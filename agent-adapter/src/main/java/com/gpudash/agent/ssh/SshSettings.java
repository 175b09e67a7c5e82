package com.gpudash.agent.ssh;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The management server's SSH client settings.
 *
 * @param privateKey the management server's key (OpenSSH or PEM format), the one identity offered to every server
 * @param connectTimeout bounds connecting, the key exchange and authentication
 * @param maxOutputBytes how much of each of stdout and stderr a {@link com.gpudash.agent.ShellResult} keeps
 * @param maxCommandsPerHost commands run at once on one server; more wait. Stay below the servers' sshd
 *     {@code MaxSessions} (10 by default)
 */
public record SshSettings(Path privateKey, Duration connectTimeout, int maxOutputBytes, int maxCommandsPerHost) {

    public static SshSettings withKey(Path privateKey) {
        return new SshSettings(privateKey, Duration.ofSeconds(10), 1024 * 1024, 8);
    }
}
