package com.gpudash.agent.docker;

import java.time.Duration;

/**
 * Timeouts of every Docker Engine connection.
 *
 * @param readTimeout the longest wait for the next bytes of an answer; a build streams its progress, so this bounds
 *     silence, not the whole build
 * @param buildTimeout the longest a whole image build may take
 * @param maxConnectionsPerEngine parallel requests to one engine
 */
public record DockerSettings(Duration connectTimeout, Duration readTimeout, Duration buildTimeout, int maxConnectionsPerEngine) {

    public static DockerSettings defaults() {
        return new DockerSettings(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMinutes(30), 10);
    }
}
