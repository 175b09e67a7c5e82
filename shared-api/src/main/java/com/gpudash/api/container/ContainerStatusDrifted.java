package com.gpudash.api.container;

/** The container was found {@code to} instead of {@code from} (Docker said {@code dockerState}); it is {@code to} now. */
public record ContainerStatusDrifted(ContainerId containerId, ContainerStatus from, ContainerStatus to,
                                     String dockerState) {
}
