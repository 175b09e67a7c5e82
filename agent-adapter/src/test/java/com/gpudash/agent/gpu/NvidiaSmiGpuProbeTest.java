package com.gpudash.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import com.gpudash.agent.HostKeyTrust;
import com.gpudash.agent.HostProbeException;
import com.gpudash.agent.ScriptedShell;
import com.gpudash.agent.ShellResult;
import com.gpudash.agent.SshTarget;
import org.junit.jupiter.api.Test;

/** The probe's logic over recorded nvidia-smi outputs; {@code NvidiaSmiGpuProbeOverSshTest} runs it for real. */
class NvidiaSmiGpuProbeTest {

    private static final SshTarget GPU_SERVER = new SshTarget("gpu1.example.org", 22, "gpudash",
            new HostKeyTrust.Pinned("ssh-ed25519 AAAA"));

    private final ScriptedShell shell = new ScriptedShell();
    private final NvidiaSmiGpuProbe probe = new NvidiaSmiGpuProbe(shell, Duration.ofSeconds(5));

    @Test
    void readsGpusAndTheirProcessesFromBothQueries() {
        shell.answer(NvidiaSmiCommands.QUERY_GPUS,
                        ok(NvidiaSmiFixtures.read("query-gpu-nounits-h100-80gb-hbm3-x8-535.161.07-EDITED.csv")))
                .answer(NvidiaSmiCommands.QUERY_COMPUTE_APPS,
                        ok(NvidiaSmiFixtures.read("query-compute-apps-h100-80gb-hbm3-x1-590.48.01-load.csv")));

        GpuSnapshot snapshot = probe.probe(GPU_SERVER);

        assertThat(snapshot.gpus()).hasSize(8);
        assertThat(snapshot.gpus()).extracting(GpuSample::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(snapshot.gpus()).allSatisfy(gpu -> assertThat(gpu.name()).isEqualTo("NVIDIA H100 80GB HBM3"));
        assertThat(snapshot.processes()).extracting(GpuProcessSample::pid).containsExactly(11327L, 11328L, 11345L);
        assertThat(snapshot.processes().get(2).usedMemoryBytes()).isEqualTo(15690L * 1024 * 1024);
    }

    @Test
    void aServerWithoutNvidiaSmiHasNoGpus() {
        shell.answer(NvidiaSmiCommands.QUERY_GPUS, new ShellResult(127, "", "bash: line 1: nvidia-smi: command not found\n", false));

        GpuSnapshot snapshot = probe.probe(GPU_SERVER);

        assertThat(snapshot.gpus()).isEmpty();
        assertThat(snapshot.processes()).isEmpty();
        assertThat(shell.ran()).containsExactly(NvidiaSmiCommands.QUERY_GPUS);
    }

    @Test
    void aFailingDriverIsAnErrorCarryingWhatNvidiaSmiSaid() {
        String failure = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n";
        shell.answer(NvidiaSmiCommands.QUERY_GPUS, new ShellResult(9, failure, "", false))
                .answer(NvidiaSmiCommands.QUERY_COMPUTE_APPS, new ShellResult(9, failure, "", false));

        assertThatThrownBy(() -> probe.probe(GPU_SERVER))
                .isInstanceOf(HostProbeException.class)
                .hasMessageContaining("exited with 9")
                .hasMessageContaining("couldn't communicate with the NVIDIA driver");
    }

    @Test
    void unreadableOutputIsAProbeError() {
        shell.answer(NvidiaSmiCommands.QUERY_GPUS, ok("index, uuid, memory.total [MiB]\n0, GPU-1, lots\n"))
                .answer(NvidiaSmiCommands.QUERY_COMPUTE_APPS, ok("gpu_uuid, pid, process_name, used_memory [MiB]\n"));

        assertThatThrownBy(() -> probe.probe(GPU_SERVER)).isInstanceOf(HostProbeException.class).hasMessageContaining("gpu1");
    }

    private static ShellResult ok(String stdout) {
        return new ShellResult(0, stdout, "", false);
    }
}
