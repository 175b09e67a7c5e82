package com.gpudash.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.gpudash.agent.HostKeyTrust;
import com.gpudash.agent.HostStatsSample;
import com.gpudash.agent.SshTarget;
import com.gpudash.agent.ssh.SshHostShell;
import com.gpudash.agent.ssh.SshSettings;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test services' sshd runs on this machine, so what it reports must be this machine's figures. */
@RequiresServices(Service.OPENSSH)
class ProcHostStatsOverSshTest {

    @TempDir
    Path workspaces;

    @Test
    void reportsThisMachinesCoresMemoryAndDisk() throws Exception {
        Path withSpaces = Files.createDirectories(workspaces.resolve("gpu work 'spaces'"));
        SshTarget host = new SshTarget(TestServices.sshHost(), TestServices.sshPort(), TestServices.sshUser(),
                new HostKeyTrust.Pinned(Files.readString(TestServices.sshHostKeyFile())));

        HostStatsSample sample;
        try (SshHostShell shell = new SshHostShell(SshSettings.withKey(TestServices.sshPrivateKey()))) {
            sample = new ProcHostStats(shell, Duration.ofSeconds(10)).sample(host, withSpaces.toString());
        }

        long processors = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("processor")).count();
        // /proc, not availableProcessors(): a CPU quota on this JVM would lower the latter, not the machine's cores.
        assertThat(sample.cpuCores()).isEqualTo(processors);
        assertThat(sample.loadAverage1m()).isNotNegative();
        long memTotal = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(line -> line.startsWith("MemTotal:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                .findFirst().orElseThrow();
        assertThat(sample.memoryTotalBytes()).isEqualTo(memTotal);
        assertThat(sample.memoryUsedBytes()).isPositive().isLessThan(memTotal);
        FileStore disk = Files.getFileStore(withSpaces);
        assertThat(sample.diskTotalBytes()).isEqualTo(disk.getTotalSpace());
        // Other work writes to the same disk between the two readings.
        assertThat(sample.diskUsedBytes()).isCloseTo(disk.getTotalSpace() - disk.getUnallocatedSpace(), within(512L * 1024 * 1024));
    }
}
