package com.gpudash.agent.gpu;

import java.util.List;

/** Everything one {@code nvidia-smi -q -x} run says about a host's GPUs and the processes on them. */
public record GpuSnapshot(List<GpuSample> gpus, List<GpuProcessSample> processes) {

    public GpuSnapshot {
        gpus = List.copyOf(gpus);
        processes = List.copyOf(processes);
    }
}
