package com.gpudash.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar an operator runs, started as the README says, with nothing but a data directory. Run by failsafe after
 * packaging. It matters beyond the unit tests: axon-test on the test classpath resolves any handler parameter, so
 * only the real jar shows a handler resource that production lacks.
 */
class PackagedJarIT {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path workingDirectory;

    @Test
    void theJarServesHealthUpOnTheEmbeddedDatabase() throws Exception {
        String health = runJar(Map.of(), "H2");

        assertThat(health).contains("\"status\":\"UP\"", "\"database\":\"H2\"");
        assertThat(workingDirectory.resolve("data/gpudash.mv.db")).exists();
        assertThat(workingDirectory.resolve("manager_backend.log")).exists();
    }

    @Test
    @RequiresServices(Service.MARIADB)
    void theSameJarCreatesItsDatabaseOnMariaDb() throws Exception {
        String database = "gpudash_test_jar";
        try (Connection server = DriverManager.getConnection("jdbc:mariadb://" + TestServices.dbHost() + ":"
                + TestServices.dbPort() + "/", TestServices.dbUser(), TestServices.dbPassword())) {
            server.createStatement().execute("DROP DATABASE IF EXISTS " + database);

            String health = runJar(Map.of("DB_HOST", TestServices.dbHost(),
                    "DB_PORT", String.valueOf(TestServices.dbPort()), "DB_USER", TestServices.dbUser(),
                    "DB_PASSWORD", TestServices.dbPassword(), "DB_NAME", database), "MariaDB");

            assertThat(health).contains("\"status\":\"UP\"", "MariaDB");
            try (ResultSet tables = server.createStatement().executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = '" + database + "'")) {
                List<String> names = new ArrayList<>();
                while (tables.next()) {
                    names.add(tables.getString(1));
                }
                assertThat(names).contains("DomainEventEntry", "TokenEntry", "SagaEntry", "scheduled_tasks", "server_view");
            }
        }
    }

    /**
     * Starts the jar with nothing but a working directory and {@code environment}, waits for /health (statuses
     * only, since it is open to anyone), stops it; answers the management port's health, which has the details.
     */
    private String runJar(Map<String, String> environment, String label) throws Exception {
        Path jar = Path.of("target", "gpu-dashboard.jar").toAbsolutePath();
        assertThat(jar).exists();
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", jar.toString())
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workingDirectory.resolve("console.log").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("DB_") || name.startsWith("ADMIN_"));
        builder.environment().put("MGMT_SERVER_PORT", String.valueOf(port));
        int managementPort = freePort();
        builder.environment().put("METRICS_PORT", String.valueOf(managementPort));
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        try {
            HttpResponse<String> health = awaitHealth(port, process);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.println("[PackagedJarIT] " + label + ": /health answered " + health.statusCode() + " after " + millis + " ms");
            assertThat(health.statusCode()).as(console()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("details");
            HttpRequest management = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/actuator/health")).timeout(Duration.ofSeconds(5)).build();
            return HttpClient.newHttpClient().send(management, HttpResponse.BodyHandlers.ofString()).body();
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private HttpResponse<String> awaitHealth(int port, Process process) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the jar exited with " + process.exitValue() + ":\n" + console());
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                // 503 while starting: readiness turns UP once start-up work (the bootstrap admin, say) is done.
                if (response.statusCode() != 503) {
                    return response;
                }
            } catch (java.io.IOException notListeningYet) {
                // the port opens a little after the JVM starts
            }
            Thread.sleep(200);
        }
        throw new AssertionError("/health was not UP within " + STARTUP_LIMIT + ":\n" + console());
    }

    private String console() {
        try {
            return Files.readString(workingDirectory.resolve("console.log"));
        } catch (java.io.IOException e) {
            return "(no console output: " + e + ")";
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : "")).toString();
    }
}
