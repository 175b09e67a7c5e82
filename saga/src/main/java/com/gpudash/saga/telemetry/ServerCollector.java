package com.gpudash.saga.telemetry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerRuntimeException;
import com.gpudash.agent.ContainerState;
import com.gpudash.agent.GpuProbe;
import com.gpudash.agent.HostKeyMismatchException;
import com.gpudash.agent.HostProbeException;
import com.gpudash.agent.HostShellException;
import com.gpudash.agent.HostStats;
import com.gpudash.agent.HostStatsSample;
import com.gpudash.agent.SshTarget;
import com.gpudash.agent.gpu.GpuProcessSample;
import com.gpudash.agent.gpu.GpuSample;
import com.gpudash.agent.gpu.GpuSnapshot;
import com.gpudash.api.server.RegisteredServer;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerStatsView;
import com.gpudash.saga.worker.ServerConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one server once: its containers through the Docker Engine, its load, memory, disk and GPUs through SSH.
 * A server is up when its engine answers and, where SSH is configured, its shell does too; a figure that could
 * not be read stays absent and the reading says why.
 */
class ServerCollector {

    private static final Logger log = LoggerFactory.getLogger(ServerCollector.class);

    private final ServerConnections connections;
    private final ContainerRuntime runtime;
    private final Optional<HostStats> hostStats;
    private final Optional<GpuProbe> gpuProbe;
    private final String diskPath;
    private final Clock clock;

    ServerCollector(ServerConnections connections, ContainerRuntime runtime, Optional<HostStats> hostStats,
                    Optional<GpuProbe> gpuProbe, String diskPath, Clock clock) {
        this.connections = connections;
        this.runtime = runtime;
        this.hostStats = hostStats;
        this.gpuProbe = gpuProbe;
        this.diskPath = diskPath;
        this.clock = clock;
    }

    ServerReading collect(RegisteredServer server) {
        ServerConnection connection = server.connection();
        long started = System.nanoTime();
        List<String> problems = new ArrayList<>();
        List<String> failedComponents = new ArrayList<>();
        String downReason = null;

        ServerStatsView.Containers containers = null;
        try {
            List<ContainerState> all = runtime.listContainers(connections.docker(connection), Map.of());
            containers = new ServerStatsView.Containers((int) all.stream().filter(ContainerState::running).count(), all.size());
        } catch (ContainerRuntimeException | IllegalArgumentException e) {
            downReason = "Docker Engine at " + connection.dockerEndpoint() + ": " + e.getMessage();
            problems.add(downReason);
            failedComponents.add("docker");
        }

        HostStatsSample sample = null;
        GpuSnapshot gpus = null;
        if (hostStats.isPresent() && gpuProbe.isPresent()) {
            Optional<SshTarget> target = connections.ssh(connection.host(), connection.sshPort(), connection.sshUser(), connection.sshHostKey());
            if (target.isEmpty()) {
                problems.add("SSH: no host key is known for this server; register its sshHostKey or set SSH_KNOWN_HOSTS");
            } else {
                try {
                    sample = hostStats.get().sample(target.get(), diskPath);
                    gpus = gpuProbe.get().probe(target.get());
                } catch (HostKeyMismatchException e) {
                    // Never retried as if it were a network blip: it is either a new machine or an attack.
                    log.warn("SSH host key of server {} ({}:{}) does not match the registered key: {}",
                            server.name(), connection.host(), connection.sshPort(), e.getMessage());
                    downReason = "SSH host key mismatch: " + connection.host() + ":" + connection.sshPort()
                            + " presented a key that is not the one registered for this server";
                    problems.add(downReason);
                    failedComponents.add("ssh");
                } catch (HostShellException e) {
                    downReason = downReason != null ? downReason : "SSH to " + connection.host() + ":" + connection.sshPort() + ": " + e.getMessage();
                    problems.add("SSH: " + e.getMessage());
                    failedComponents.add("ssh");
                } catch (HostProbeException e) {
                    problems.add("probe: " + e.getMessage());
                    failedComponents.add("probe");
                }
            }
        }

        ServerStatsView stats = new ServerStatsView(server.id(), clock.instant(),
                sample == null ? null : new ServerStatsView.Cpu(sample.cpuCores(), sample.loadAverage1m()),
                sample == null ? null : new ServerStatsView.Memory(sample.memoryTotalBytes(), sample.memoryUsedBytes()),
                sample == null ? null : new ServerStatsView.Disk(sample.diskTotalBytes(), sample.diskUsedBytes()),
                gpus == null ? List.of() : gpuViews(gpus), containers, List.copyOf(problems));
        return new ServerReading(server, stats, downReason == null, downReason,
                gpus == null ? List.of() : gpus.gpus(), System.nanoTime() - started, List.copyOf(failedComponents));
    }

    private static List<ServerStatsView.Gpu> gpuViews(GpuSnapshot snapshot) {
        return snapshot.gpus().stream().map(gpu -> new ServerStatsView.Gpu(gpu.index(), gpu.uuid(), gpu.name(),
                gpu.utilizationGpuPercent(), gpu.memoryUsedBytes(), gpu.memoryTotalBytes(), gpu.temperatureCelsius(),
                gpu.powerDrawWatts(), processesOn(gpu, snapshot.processes()))).toList();
    }

    private static List<ServerStatsView.GpuProcess> processesOn(GpuSample gpu, List<GpuProcessSample> processes) {
        return processes.stream()
                .filter(process -> process.gpuUuid().equals(gpu.uuid()))
                .map(process -> new ServerStatsView.GpuProcess(process.pid(), process.processName(), process.usedMemoryBytes()))
                .toList();
    }
}
