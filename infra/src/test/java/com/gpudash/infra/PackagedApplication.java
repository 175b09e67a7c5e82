package com.gpudash.infra;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.gpudash.testsupport.Eventually;

/**
 * The packaged jar as an operator runs it: its own process, a working directory, an environment and nothing else.
 * Tests start it, wait for {@code /health}, and stop it gracefully or kill it with SIGKILL.
 */
public final class PackagedApplication implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(180);

    private final Path workingDirectory;
    private final Process process;
    private final int port;
    private final int managementPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PackagedApplication(Path workingDirectory, Process process, int port, int managementPort) {
        this.workingDirectory = workingDirectory;
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
    }

    /**
     * Starts {@code target/gpu-dashboard.jar} in {@code workingDirectory} with the test JVM's environment less its
     * DB_, ADMIN_ and GPUDASH_ variables, plus {@code environment}; returns once {@code /health} has answered
     * something other than 503 (which it answers while start-up work runs).
     */
    public static PackagedApplication start(Path workingDirectory, Map<String, String> environment) throws Exception {
        Path jar = Path.of("target", "gpu-dashboard.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new AssertionError(jar + " is missing: the packaged-jar tests run after `mvn package`");
        }
        Files.createDirectories(workingDirectory);
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", jar.toString())
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workingDirectory.resolve("console.log").toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("DB_") || name.startsWith("ADMIN_")
                || name.startsWith("GPUDASH_"));
        builder.environment().put("MGMT_SERVER_PORT", String.valueOf(port));
        int managementPort = freePort();
        builder.environment().put("METRICS_PORT", String.valueOf(managementPort));
        builder.environment().putAll(environment);
        PackagedApplication application = new PackagedApplication(workingDirectory, builder.start(), port,
                managementPort);
        application.awaitHealth();
        return application;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** On the management port (METRICS_PORT): the actuator. */
    public URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    public HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> health() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the application did not die of SIGKILL within 30 s");
        }
    }

    public String console() {
        try {
            return Files.readString(workingDirectory.resolve("console.log"));
        } catch (IOException e) {
            return "(no console output: " + e + ")";
        }
    }

    /** SIGTERM, and SIGKILL if a graceful shutdown takes longer than 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private void awaitHealth() throws Exception {
        try {
            Eventually.await(() -> "/health to answer:\n" + console(), STARTUP_LIMIT, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("the jar exited with " + process.exitValue() + ":\n" + console());
                }
                try {
                    return Optional.of(health().statusCode()).filter(status -> status != 503);
                } catch (IOException notListeningYet) {
                    // the port opens a little after the JVM starts
                    return Optional.empty();
                }
            });
        } catch (AssertionError notStarted) {
            close();
            throw notStarted;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : ""))
                .toString();
    }
}
