package com.gpudash.api.server;

/**
 * How the management server reaches a GPU server: its Docker Engine API and its SSH daemon.
 *
 * @param sshHostKey the pinned OpenSSH public key line ({@code ssh-ed25519 AAAA…}), or null to use SSH_KNOWN_HOSTS
 */
public record ServerConnection(String host, String dockerEndpoint, int sshPort, String sshUser, String sshHostKey) {
}
