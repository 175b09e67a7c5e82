package com.gpudash.api.server;

/** {@code reason} says why a server went OFFLINE (connection refused, host key mismatch…); null when ONLINE. */
public record ServerStatusChanged(ServerId serverId, ServerStatus previous, ServerStatus status, String reason) {
}
