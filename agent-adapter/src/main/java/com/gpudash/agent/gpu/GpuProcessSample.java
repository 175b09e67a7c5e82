package com.gpudash.agent.gpu;

import java.util.Objects;

/**
 * One process holding a context on a GPU.
 *
 * @param gpuUuid the GPU's UUID, which is how a process is tied to a {@link GpuSample}
 * @param processName {@code null} when nvidia-smi could not name it
 * @param usedMemoryBytes {@code null} when nvidia-smi does not know it: always so on Windows in WDDM mode,
 *     where the Windows kernel driver, not NVIDIA's, manages the memory
 */
public record GpuProcessSample(String gpuUuid, long pid, String processName, Long usedMemoryBytes) {

    public GpuProcessSample {
        Objects.requireNonNull(gpuUuid, "gpuUuid");
    }
}
