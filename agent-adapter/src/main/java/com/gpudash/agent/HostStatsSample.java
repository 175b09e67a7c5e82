package com.gpudash.agent;

/**
 * One reading of a server's load.
 *
 * @param cpuCores online logical CPUs
 * @param loadAverage1m the kernel's run-queue average over one minute, as in {@code /proc/loadavg}
 * @param memoryUsedBytes total minus what the kernel estimates is available for new work (MemAvailable), so page
 *     cache that can be dropped does not count as used
 * @param diskTotalBytes size of the filesystem holding the measured path
 * @param diskUsedBytes space used on it, as {@code df} reports
 */
public record HostStatsSample(
        int cpuCores,
        double loadAverage1m,
        double loadAverage5m,
        double loadAverage15m,
        long memoryTotalBytes,
        long memoryUsedBytes,
        long diskTotalBytes,
        long diskUsedBytes) {
}
