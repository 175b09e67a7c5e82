package com.gpudash.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Docker Engine of the test's own, which the test may kill and start again without disturbing the shared engine
 * that other tests use. Everything it has lives under one temporary directory (data root, exec root, pid file,
 * socket, log) and on a network bridge of its own: the shared engine owns {@code docker0}, and two daemons on one
 * bridge would hand out the same addresses. Flags as in {@code scripts/test-services.sh} (no iptables, published
 * ports served by docker-proxy on loopback), with the vfs storage driver, which needs nothing from the kernel.
 * <p>
 * Needs root, {@code dockerd}, the {@code docker} client and iproute2's {@code ip}
 * ({@link TestServices.Service#DOCKERD}).
 */
public final class TestDockerd implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final String UMOUNT = "/usr/bin/umount";

    private final Path root;
    private final String bridge;
    private final String subnetPrefix;
    private Process daemon;

    private TestDockerd(Path root, String bridge, String subnetPrefix) {
        this.root = root;
        this.bridge = bridge;
        this.subnetPrefix = subnetPrefix;
    }

    /** Creates the bridge and the directories and starts the daemon; answers once the engine does. */
    public static TestDockerd start() throws IOException, InterruptedException {
        TestServices.require(TestServices.Service.DOCKERD);
        // Under /tmp rather than java.io.tmpdir: a unix socket path may be at most 107 bytes long.
        Path root = Files.createTempDirectory(Path.of("/tmp"), "gpudash-dockerd-");
        String bridge = "gdt" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String subnetPrefix = freeSubnetPrefix();
        TestDockerd engine = new TestDockerd(root, bridge, subnetPrefix);
        try {
            run(List.of(TestServices.IP_BINARY, "link", "add", "name", bridge, "type", "bridge"));
            run(List.of(TestServices.IP_BINARY, "addr", "add", subnetPrefix + "1/24", "dev", bridge));
            run(List.of(TestServices.IP_BINARY, "link", "set", bridge, "up"));
            Files.writeString(root.resolve("daemon.json"), "{}");
            engine.startDaemon();
            return engine;
        } catch (IOException | InterruptedException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** The engine's endpoint, as a server's {@code dockerEndpoint} names it. */
    public String endpoint() {
        return "unix://" + root.resolve("docker.sock");
    }

    /** Copies {@code image} from the shared engine into this one. */
    public void loadImage(String image) throws IOException, InterruptedException {
        run(List.of("/bin/bash", "-o", "pipefail", "-c", "\"$0\" -H \"$1\" save \"$2\" | \"$0\" -H \"$3\" load -q",
                TestServices.dockerClientBinary(), TestServices.dockerEndpoint(), image, endpoint()));
    }

    /** An outage: the daemon is killed with SIGKILL, so it cannot tidy anything up first. */
    public void kill() throws InterruptedException {
        daemon.destroyForcibly();
        if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("dockerd (pid " + daemon.pid() + ") did not die of SIGKILL in 30 s");
        }
        // Its containerd dies with it, a moment later; a new one started before that would wait for its database.
        ProcessHandle.of(readPid(root.resolve("exec/containerd/containerd.pid"))).ifPresent(containerd -> {
            try {
                containerd.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception stillThere) {
                containerd.destroyForcibly();
            }
        });
    }

    /** Starts the daemon again on the same data: the images and containers it had are back. */
    public void restart() throws IOException, InterruptedException {
        if (daemon.isAlive()) {
            throw new IllegalStateException("dockerd is still running; kill it first");
        }
        startDaemon();
    }

    /** The network bridge its containers sit on; removed by {@link #close()}. */
    public String bridge() {
        return bridge;
    }

    public boolean isRunning() {
        return daemon != null && daemon.isAlive();
    }

    /** The daemon's log, for a failing test's message. */
    public String log() {
        try {
            // Without the gRPC chatter, which fills any tail.
            String log = Files.readAllLines(root.resolve("dockerd.log"), StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.contains("module=grpc")).collect(Collectors.joining("\n"));
            return log.substring(Math.max(0, log.length() - 6000));
        } catch (IOException e) {
            return "(no dockerd log: " + e + ")";
        }
    }

    /**
     * Removes every container of the engine, stops it and the containerd it started, and removes the bridge and
     * the directory. Processes are ended by their pids, never by name: other engines run on this machine.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (isRunning()) {
                runQuietly(List.of("/bin/bash", "-c", "ids=$(\"$0\" -H \"$1\" ps -aq); [ -z \"$ids\" ] || \"$0\" -H \"$1\""
                        + " rm -f $ids", TestServices.dockerClientBinary(), endpoint()));
                daemon.destroy();
                if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            // A killed dockerd can leave its containerd, the shims of running containers and their docker-proxy.
            endProcess(readPid(root.resolve("exec/containerd/containerd.pid")));
            strayProcesses().forEach(TestDockerd::endProcess);
        } finally {
            runQuietly(List.of(TestServices.IP_BINARY, "link", "delete", bridge));
            // dockerd makes its data root a mount point of its own and may leave it (and network namespaces) mounted.
            mountsUnder(root).forEach(mount -> runQuietly(List.of(UMOUNT, "-l", mount)));
            deleteTree(root);
        }
    }

    private void startDaemon() throws IOException, InterruptedException {
        List<String> command = List.of(TestServices.dockerdBinary(),
                "--host", endpoint(),
                "--config-file", root.resolve("daemon.json").toString(),
                "--data-root", root.resolve("data").toString(),
                "--exec-root", root.resolve("exec").toString(),
                "--pidfile", root.resolve("dockerd.pid").toString(),
                "--bridge", bridge,
                "--storage-driver", "vfs",
                "--exec-opt", "native.cgroupdriver=cgroupfs",
                "--iptables=false", "--ip-forward=false", "--ip-masq=false",
                "--userland-proxy=true", "--ip=127.0.0.1");
        daemon = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("dockerd.log").toFile())).start();
        Eventually.await(() -> "dockerd to answer:\n" + log(), START_LIMIT, () -> {
            if (answers()) {
                return Optional.of(true);
            }
            if (!daemon.isAlive()) {
                throw new IllegalStateException("dockerd exited with " + daemon.exitValue() + ":\n" + log());
            }
            return Optional.empty();
        });
    }

    private boolean answers() throws IOException, InterruptedException {
        Process version = new ProcessBuilder(TestServices.dockerClientBinary(), "-H", endpoint(), "version",
                "--format", "{{.Server.Version}}").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!version.waitFor(10, TimeUnit.SECONDS)) {
            version.destroyForcibly();
            return false;
        }
        return version.exitValue() == 0;
    }

    /** Processes of this engine: shims naming its directory, docker-proxy forwarding to its bridge. */
    private List<Long> strayProcesses() {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.filter(dir -> dir.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(dir -> {
                try {
                    String commandLine = Files.readString(dir.resolve("cmdline")).replace('\0', ' ');
                    if (commandLine.contains(root.toString())
                            || commandLine.contains("docker-proxy") && commandLine.contains("-container-ip " + subnetPrefix)) {
                        pids.add(Long.parseLong(dir.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException gone) {
                    // The process ended while we looked.
                }
            });
        } catch (IOException e) {
            // No /proc: nothing to find.
        }
        return pids;
    }

    /** Mount points at or below {@code root}, deepest first. */
    private static List<String> mountsUnder(Path root) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(line -> line.split(" ")[1])
                    .filter(mount -> mount.equals(root.toString()) || mount.startsWith(root + "/"))
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void endProcess(long pid) {
        if (pid <= 0) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroy();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception stillThere) {
                process.destroyForcibly();
            }
        });
    }

    private static long readPid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException none) {
            return -1;
        }
    }

    /** A /24 in 172.31.0.0/16 that no interface of this machine uses. */
    private static String freeSubnetPrefix() throws IOException, InterruptedException {
        String addresses = output(List.of(TestServices.IP_BINARY, "-o", "-4", "addr", "show"));
        for (int tries = 0; tries < 100; tries++) {
            String prefix = "172.31." + ThreadLocalRandom.current().nextInt(1, 255) + ".";
            if (!addresses.contains(" " + prefix)) {
                return prefix;
            }
        }
        throw new IllegalStateException("no free /24 in 172.31.0.0/16 for a test bridge:\n" + addresses);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void runQuietly(List<String> command) {
        try {
            run(command);
        } catch (IOException | RuntimeException e) {
            // Tidying up: what cannot be removed is left for the machine's next start.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        return output;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Override
    public String toString() {
        return "TestDockerd[" + endpoint() + ", bridge " + bridge + "]";
    }
}
