package com.gpudash.agent;

import com.gpudash.agent.gpu.GpuSnapshot;

/** The GPUs of each server and the processes on them, as the NVIDIA driver reports them. */
public interface GpuProbe {

    /**
     * Samples the server's GPUs now. A server without the NVIDIA tools has no GPUs: an empty snapshot, not an error.
     *
     * @throws HostProbeException when the tools are there but fail, such as a driver that does not answer
     * @throws HostShellException when the server cannot be asked at all
     */
    GpuSnapshot probe(SshTarget target);
}
