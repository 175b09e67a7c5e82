package com.gpudash.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;

import com.gpudash.agent.HostKeyTrust;
import com.gpudash.agent.SshTarget;
import com.gpudash.agent.ssh.SshHostShell;
import com.gpudash.agent.ssh.SshSettings;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;

/** The test services' host has no NVIDIA driver: over the real sshd, the probe finds zero GPUs and no error. */
@RequiresServices(Service.OPENSSH)
class NvidiaSmiGpuProbeOverSshTest {

    @Test
    void aHostWithoutNvidiaSmiHasZeroGpus() throws Exception {
        SshTarget host = new SshTarget(TestServices.sshHost(), TestServices.sshPort(), TestServices.sshUser(),
                new HostKeyTrust.Pinned(Files.readString(TestServices.sshHostKeyFile())));
        try (SshHostShell shell = new SshHostShell(SshSettings.withKey(TestServices.sshPrivateKey()))) {
            GpuSnapshot snapshot = new NvidiaSmiGpuProbe(shell, Duration.ofSeconds(10)).probe(host);

            assertThat(snapshot.gpus()).isEmpty();
            assertThat(snapshot.processes()).isEmpty();
        }
    }
}
