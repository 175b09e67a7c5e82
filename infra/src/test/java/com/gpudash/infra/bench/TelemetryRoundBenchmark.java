package com.gpudash.infra.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.gpudash.api.server.AddServer;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.infra.GpuDashboardApplication;
import com.gpudash.saga.telemetry.TelemetryPoller;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.TestServices;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How long one telemetry round over 100 registered servers takes, as a share of the poll interval. Most entries
 * point at the real Docker Engine and sshd of the test services; some at an engine that refuses connections and
 * some at one that accepts and never answers. The baseline, measured in the same run, is the same healthy servers
 * polled one after another, as a poller without concurrency would. Loopback only. Run with bench/telemetry-round.sh.
 */
public final class TelemetryRoundBenchmark {

    private static final int HEALTHY = 90;
    private static final int REFUSING = 5;
    private static final int SILENT = 5;
    private static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("gpudash-bench-telemetry");
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silentEngine = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
             ConfigurableApplicationContext app = new SpringApplicationBuilder(GpuDashboardApplication.class).run(
                     "--server.port=0", "--management.server.port=0", "--DATA_DIR=" + data, "--LOG_FILE=" + data.resolve("bench.log"),
                     "--SSH_PRIVATE_KEY=" + TestServices.sshPrivateKey(), "--SSH_KNOWN_HOSTS=" + TestServices.sshKnownHosts(),
                     // Only the benchmark's own rounds run: the scheduled ones would compete for the same sshd.
                     "--WORKDIR_DEPLOY=/tmp", "--TELEMETRY_INTERVAL=1h")) {
            Thread acceptor = new Thread(() -> acceptForever(silentEngine, held), "silent-engine");
            acceptor.setDaemon(true);
            acceptor.start();
            CommandGateway commands = app.getBean(CommandGateway.class);
            String hostKey = Files.readString(TestServices.sshHostKeyFile()).strip();
            for (int i = 0; i < HEALTHY + REFUSING + SILENT; i++) {
                String engine = i < HEALTHY ? TestServices.dockerEndpoint()
                        : i < HEALTHY + REFUSING ? "tcp://127.0.0.1:1" : "tcp://127.0.0.1:" + silentEngine.getLocalPort();
                commands.sendAndWait(new AddServer(ServerId.random(), "bench-" + i + "-" + UUID.randomUUID().toString().substring(0, 4),
                        new ServerConnection(TestServices.sshHost(), engine, TestServices.sshPort(), TestServices.sshUser(), hostKey), 8));
            }
            awaitReadModel(app.getBean(JdbcTemplate.class), HEALTHY + REFUSING + SILENT);

            TelemetryPoller poller = app.getBean(TelemetryPoller.class);
            Duration nominal = Duration.ofSeconds(15);
            poller.pollAll(); // warm-up: connections, JIT
            List<Long> rounds = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                rounds.add(poller.pollAll().toMillis());
            }
            long sequential = sequentialBaseline(app, HEALTHY);

            long median = rounds.stream().sorted().toList().get(ROUNDS / 2);
            System.out.printf("%nTelemetry round over %d servers (%d healthy, %d refusing, %d silent), %d rounds after warm-up%n",
                    HEALTHY + REFUSING + SILENT, HEALTHY, REFUSING, SILENT, ROUNDS);
            System.out.printf("  rounds: %s ms; median %d ms%n", rounds, median);
            System.out.printf("  median / default 15 s interval: %.3f%n", median / (double) nominal.toMillis());
            System.out.printf("  baseline: the %d healthy servers one after another: %d ms (%.3f of 15 s)%n",
                    HEALTHY, sequential, sequential / (double) nominal.toMillis());
            System.out.printf("  ratio parallel round / sequential baseline: %.3f%n", median / (double) sequential);
            System.out.printf("  (each server's poll is cut off after %d ms; the silent engines reach that limit)%n",
                    TelemetryPoller.pollTimeLimit(nominal).toMillis());
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private static long sequentialBaseline(ConfigurableApplicationContext app, int servers) {
        var runtime = app.getBean(com.gpudash.agent.ContainerRuntime.class);
        var stats = app.getBean(com.gpudash.agent.HostStats.class);
        var gpus = app.getBean(com.gpudash.agent.GpuProbe.class);
        var endpoints = app.getBean(com.gpudash.saga.worker.ServerConnections.class);
        var engine = endpoints.docker(new com.gpudash.api.server.ServerConnection(TestServices.sshHost(),
                TestServices.dockerEndpoint(), TestServices.sshPort(), TestServices.sshUser(), readKey()));
        var ssh = endpoints.ssh(TestServices.sshHost(), TestServices.sshPort(), TestServices.sshUser(), readKey()).orElseThrow();
        long started = System.nanoTime();
        for (int i = 0; i < servers; i++) {
            runtime.listContainers(engine, java.util.Map.of());
            stats.sample(ssh, "/tmp");
            gpus.probe(ssh);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static String readKey() {
        try {
            return Files.readString(TestServices.sshHostKeyFile()).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitReadModel(JdbcTemplate jdbc, int servers) {
        Eventually.await("the servers in the read model", Duration.ofSeconds(60),
                () -> Optional.of(jdbc.queryForObject("SELECT COUNT(*) FROM server_view", Integer.class))
                        .filter(count -> count >= servers));
    }

    private static void acceptForever(ServerSocket socket, List<Socket> held) {
        while (!socket.isClosed()) {
            try {
                held.add(socket.accept());
            } catch (IOException closed) {
                return;
            }
        }
    }
}
