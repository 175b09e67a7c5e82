package com.gpudash.api.server;

import java.util.List;

import com.gpudash.api.container.ContainerId;

public record ServerCapacityReleased(ServerId serverId, ContainerId containerId, List<String> gpuUuids) {
}
