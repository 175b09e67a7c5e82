package com.gpudash.api.server;

import com.gpudash.api.container.ContainerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Gives a container's slot and GPUs back; nothing happens when the container holds none here. */
public record ReleaseServerCapacity(@TargetAggregateIdentifier ServerId serverId, ContainerId containerId) {
}
