package com.gpudash.api.server;

/** A GPU as the server's inventory knows it: stable UUID, its index on that host and its model. */
public record GpuDevice(String uuid, int index, String name, Long memoryTotalBytes) {
}
