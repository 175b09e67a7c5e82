package com.gpudash.api.server;

import java.time.Instant;

/** A server as the dashboard lists it. {@code statusReason} says why it is OFFLINE; null otherwise. */
public record ServerView(ServerId id, String name, String host, String dockerEndpoint, int sshPort, String sshUser,
                         ServerStatus status, String statusReason, int gpuCount, int maxContainers, int containers,
                         Instant createdAt) {
}
