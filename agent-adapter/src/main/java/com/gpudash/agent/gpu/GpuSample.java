package com.gpudash.agent.gpu;

/**
 * One GPU as nvidia-smi reported it at one moment.
 *
 * <p>Every component is {@code null} when nvidia-smi did not report it: the field was not queried, or nvidia-smi
 * printed {@code [N/A]}, {@code [Not Supported]} and the like (MIG mode, for one, has no GPU utilization). A
 * dashboard must show "unknown" there, never 0, so absence is never turned into a number.
 *
 * @param index nvidia-smi's zero-based GPU index (enumeration order, which is PCI bus order)
 * @param memoryTotalBytes frame-buffer memory; nvidia-smi reports MiB, stored here as MiB * 1024 * 1024
 */
public record GpuSample(
        Integer index,
        String uuid,
        String name,
        String pciBusId,
        String driverVersion,
        Integer utilizationGpuPercent,
        Integer utilizationMemoryPercent,
        Long memoryTotalBytes,
        Long memoryUsedBytes,
        Integer temperatureCelsius,
        Double powerDrawWatts,
        Double powerLimitWatts) {
}
