package com.gpudash.agent.gpu;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import com.gpudash.agent.GpuProbe;
import com.gpudash.agent.HostProbeException;
import com.gpudash.agent.HostShell;
import com.gpudash.agent.ShellResult;
import com.gpudash.agent.SshTarget;

/** {@link GpuProbe} that runs nvidia-smi's CSV queries through a {@link HostShell}. */
public final class NvidiaSmiGpuProbe implements GpuProbe {

    /** What a POSIX shell exits with when the command does not exist. */
    private static final int COMMAND_NOT_FOUND = 127;

    private final HostShell shell;
    private final Duration timeout;

    /** @param timeout for each nvidia-smi run; a hung driver can keep nvidia-smi waiting for many seconds */
    public NvidiaSmiGpuProbe(HostShell shell, Duration timeout) {
        this.shell = Objects.requireNonNull(shell, "shell");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public GpuSnapshot probe(SshTarget target) {
        ShellResult gpus = shell.run(target, NvidiaSmiCommands.QUERY_GPUS, timeout);
        if (gpus.exitCode() == COMMAND_NOT_FOUND) {
            return new GpuSnapshot(List.of(), List.of());
        }
        ShellResult processes = shell.run(target, NvidiaSmiCommands.QUERY_COMPUTE_APPS, timeout);
        try {
            return new GpuSnapshot(NvidiaSmiCsvParser.parseGpus(succeeded(target, gpus)),
                    NvidiaSmiCsvParser.parseComputeApps(succeeded(target, processes)));
        } catch (NvidiaSmiParseException e) {
            throw new HostProbeException("nvidia-smi on " + target.host() + " printed what cannot be read: " + e.getMessage(), e);
        }
    }

    private static String succeeded(SshTarget target, ShellResult result) {
        if (!result.succeeded()) {
            // nvidia-smi explains itself on stdout ("NVIDIA-SMI has failed because it couldn't communicate...").
            throw new HostProbeException("nvidia-smi on " + target.host() + " exited with " + result.exitCode() + ": "
                    + (result.stdout() + " " + result.stderr()).strip());
        }
        return result.stdout();
    }
}
