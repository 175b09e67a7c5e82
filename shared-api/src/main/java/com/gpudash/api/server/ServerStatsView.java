package com.gpudash.api.server;

import java.time.Instant;
import java.util.List;

/**
 * The latest telemetry of one server, as the contract shows it. A part that could not be collected is null and
 * {@code problems} says why, so a missing figure never reads as zero.
 */
public record ServerStatsView(ServerId serverId, Instant collectedAt, Cpu cpu, Memory memory, Disk disk,
                              List<Gpu> gpus, Containers containers, List<String> problems) {

    public record Cpu(int cores, double loadAverage1m) {
    }

    public record Memory(long totalBytes, long usedBytes) {
    }

    public record Disk(long totalBytes, long usedBytes) {
    }

    /** Absent readings ({@code [N/A]}, {@code [Not Supported]}) stay null. */
    public record Gpu(Integer index, String uuid, String name, Integer utilizationGpuPercent, Long memoryUsedBytes,
                      Long memoryTotalBytes, Integer temperatureCelsius, Double powerWatts, List<GpuProcess> processes) {
    }

    public record GpuProcess(long pid, String processName, Long usedMemoryBytes) {
    }

    public record Containers(int running, int total) {
    }
}
