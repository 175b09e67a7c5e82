package com.gpudash.agent.ssh;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The management server's SSH client settings.
 *
 * @param privateKey the management server's key (OpenSSH or PEM format), the one identity offered to every server
 * @param connectTimeout bounds connecting, the key exchange and authentication
 * @param maxOutputBytes how much of each of stdout and stderr a {@link com.gpudash.agent.ShellResult} keeps
 */
public record SshSettings(Path privateKey, Duration connectTimeout, int maxOutputBytes) {

    public static SshSettings withKey(Path privateKey) {
        return new SshSettings(privateKey, Duration.ofSeconds(10), 1024 * 1024);
    }
}
