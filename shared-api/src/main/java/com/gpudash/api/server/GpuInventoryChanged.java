package com.gpudash.api.server;

import java.util.List;

public record GpuInventoryChanged(ServerId serverId, List<GpuDevice> gpus) {
}
