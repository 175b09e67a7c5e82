package com.gpudash.agent;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How one server's shell is reached: over SSH, as {@code user}, trusting only the host keys {@code hostKeys} names.
 */
public record SshTarget(String host, int port, String user, HostKeyTrust hostKeys) {

    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

    public SshTarget {
        Objects.requireNonNull(hostKeys, "hostKeys");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("an SSH target needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        if (user == null || !USER.matcher(user).matches()) {
            throw new IllegalArgumentException("not a user name: " + user);
        }
    }
}
