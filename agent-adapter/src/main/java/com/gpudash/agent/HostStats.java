package com.gpudash.agent;

/** CPU, memory and disk figures of each server. */
public interface HostStats {

    /**
     * Samples the server now.
     *
     * @param diskPath an absolute path on the server whose filesystem is measured, such as the workspace root
     * @throws HostProbeException when the server's answer cannot be read
     * @throws HostShellException when the server cannot be asked at all
     */
    HostStatsSample sample(SshTarget target, String diskPath);
}
