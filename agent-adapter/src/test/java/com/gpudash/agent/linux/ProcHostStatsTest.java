package com.gpudash.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import com.gpudash.agent.HostKeyTrust;
import com.gpudash.agent.HostProbeException;
import com.gpudash.agent.HostStatsSample;
import com.gpudash.agent.ScriptedShell;
import com.gpudash.agent.ShellResult;
import com.gpudash.agent.SshTarget;
import org.junit.jupiter.api.Test;

/** Reading the one-round-trip answer; {@code ProcHostStatsOverSshTest} checks it against this machine. */
class ProcHostStatsTest {

    private static final SshTarget SERVER = new SshTarget("gpu1.example.org", 22, "gpudash", new HostKeyTrust.Pinned("ssh-ed25519 AAAA"));

    private static final String ANSWER = """
            64
            @@
            3.52 2.10 1.05 4/1234 56789
            @@
            MemTotal:       528273448 kB
            MemFree:         1024000 kB
            MemAvailable:   400000000 kB
            Buffers:          123456 kB
            HugePages_Total:       0
            @@
            Filesystem          1-blocks         Used    Available Capacity Mounted on
            /dev/mapper/vg data 1000000000000 250000000000 750000000000      25% /srv/gpu workspaces
            """;

    @Test
    void readsCoresLoadMemoryAndTheDiskOfThePath() {
        ScriptedShell shell = new ScriptedShell().answer(command("/srv/gpu workspaces"), new ShellResult(0, ANSWER, "", false));

        HostStatsSample sample = new ProcHostStats(shell, Duration.ofSeconds(5)).sample(SERVER, "/srv/gpu workspaces");

        assertThat(sample).isEqualTo(new HostStatsSample(64, 3.52, 2.10, 1.05,
                528273448L * 1024, (528273448L - 400000000L) * 1024, 1_000_000_000_000L, 250_000_000_000L));
    }

    @Test
    void aFailedOrUnreadableAnswerIsAProbeError() {
        ScriptedShell failing = new ScriptedShell()
                .answer(command("/nope"), new ShellResult(1, "", "df: /nope: No such file or directory\n", false));
        assertThatThrownBy(() -> new ProcHostStats(failing, Duration.ofSeconds(5)).sample(SERVER, "/nope"))
                .isInstanceOf(HostProbeException.class)
                .hasMessageContaining("No such file");

        ScriptedShell oldKernel = new ScriptedShell()
                .answer(command("/"), new ShellResult(0, ANSWER.replace("MemAvailable", "MemShared"), "", false));
        assertThatThrownBy(() -> new ProcHostStats(oldKernel, Duration.ofSeconds(5)).sample(SERVER, "/"))
                .isInstanceOf(HostProbeException.class)
                .hasMessageContaining("MemAvailable");
    }

    @Test
    void theMeasuredPathMustBeAbsolute() {
        assertThatThrownBy(() -> new ProcHostStats(new ScriptedShell(), Duration.ofSeconds(5)).sample(SERVER, "srv"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> command(String path) {
        // The script is the adapter's own constant; only the path argument varies.
        return List.of("sh", "-c", "getconf _NPROCESSORS_ONLN && echo @@ && cat /proc/loadavg && echo @@ "
                + "&& cat /proc/meminfo && echo @@ && df -P -B1 -- \"$1\"", "sh", path);
    }
}
