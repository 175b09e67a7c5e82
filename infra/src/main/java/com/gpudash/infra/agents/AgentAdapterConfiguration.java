package com.gpudash.infra.agents;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.GpuProbe;
import com.gpudash.agent.HostShell;
import com.gpudash.agent.HostStats;
import com.gpudash.agent.docker.DockerContainerRuntime;
import com.gpudash.agent.docker.DockerSettings;
import com.gpudash.agent.gpu.NvidiaSmiGpuProbe;
import com.gpudash.agent.linux.ProcHostStats;
import com.gpudash.agent.ssh.SshHostShell;
import com.gpudash.agent.ssh.SshSettings;
import com.gpudash.infra.config.Settings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The adapters to the GPU servers. Without SSH_PRIVATE_KEY there is no shell, so no host statistics, no GPU probe
 * and no ssh:// Docker endpoints: servers are then watched through their Docker Engine alone. With it, the Docker
 * adapter speaks to ssh:// endpoints over the shell's connections, so each server has one SSH connection.
 */
@Configuration(proxyBeanMethods = false)
class AgentAdapterConfiguration {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final int WORKER_THREADS = 8;

    /** The workers' threads: slow calls to GPU servers run here, never in a unit of work or on the event loop. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService workerExecutor() {
        AtomicInteger number = new AtomicInteger();
        return Executors.newFixedThreadPool(WORKER_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "gpu-worker-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean(destroyMethod = "close")
    ContainerRuntime containerRuntime(ObjectProvider<SshHostShell> ssh) {
        SshHostShell shell = ssh.getIfAvailable();
        return shell == null ? new DockerContainerRuntime(DockerSettings.defaults())
                : new DockerContainerRuntime(DockerSettings.defaults(), shell);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("SSH_PRIVATE_KEY")
    SshHostShell hostShell(Settings settings) {
        return new SshHostShell(SshSettings.withKey(settings.sshPrivateKey().orElseThrow()));
    }

    @Bean
    @ConditionalOnProperty("SSH_PRIVATE_KEY")
    GpuProbe gpuProbe(HostShell shell) {
        return new NvidiaSmiGpuProbe(shell, PROBE_TIMEOUT);
    }

    @Bean
    @ConditionalOnProperty("SSH_PRIVATE_KEY")
    HostStats hostStats(HostShell shell) {
        return new ProcHostStats(shell, PROBE_TIMEOUT);
    }
}
