package com.gpudash.saga.container;

import java.time.Duration;

/**
 * How users' containers are made, from the deployment's settings.
 *
 * @param image               {@code DOCKER_IMAGE:DOCKER_TAG}
 * @param workspaceTemplate   {@code WORKDIR_TEMPLATE} on the GPU servers
 * @param workspaceRoot       {@code WORKDIR_DEPLOY} on the GPU servers; a user's workspace is {@code <root>/<username>}
 * @param workspaceMountPath  {@code CONTAINER_WORKSPACE_PATH} inside the container
 * @param servicePort         {@code CONTAINER_SERVICE_PORT} inside the container, published on the server
 * @param publishHostIp       {@code CONTAINER_PUBLISH_IP}: the server address the service port is published on;
 *                            it must be reachable from the nginx host
 * @param installationId      labels every container of this installation, so that reconciliation only ever
 *                            touches its own containers on a shared Docker Engine
 * @param commandTimeout      for each shell command on a server (the workspace copy)
 * @param stopGracePeriod     before a stopping container is killed
 */
public record ContainerSettings(String image, double cpus, long memoryBytes, String workspaceTemplate,
                                String workspaceRoot, String workspaceMountPath, int servicePort,
                                String publishHostIp, String installationId, Duration commandTimeout,
                                Duration stopGracePeriod) {

    public String workspaceOf(String username) {
        return workspaceRoot + "/" + username;
    }
}
