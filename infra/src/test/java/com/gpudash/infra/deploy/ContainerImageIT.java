package com.gpudash.infra.deploy;

import static com.gpudash.infra.deploy.DockerCli.docker;
import static com.gpudash.infra.deploy.DockerCli.tryDocker;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.gpudash.infra.PackagedApplication;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile's image as an operator runs it (README, "Run it in containers"): built on a Java 17 base, started
 * with nothing but environment variables against MariaDB, it reports healthy through its own HEALTHCHECK, serves
 * the API, stops gracefully on docker stop's SIGTERM within Docker's 10 s, and after a start again has lost
 * nothing. The container is on the host's network, so it reaches the test MariaDB on loopback (the test engine
 * runs without iptables, which a published port into a bridge would need for the way back).
 */
@RequiresServices({Service.DOCKER, Service.MARIADB})
class ContainerImageIT {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(180);
    private static final long MEMORY_LIMIT = 768L * 1024 * 1024;
    private static final String DATABASE = Optional.ofNullable(System.getenv("TEST_DB_NAME"))
            .filter(name -> !name.isBlank()).orElse("gpudash_test") + "_image";

    private final String container = "gpudash-image-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final String volume = container + "-data";

    @BeforeEach
    void freshDatabase() throws Exception {
        ContainerImages.requireLocalImages();
        dropDatabase();
    }

    @AfterEach
    void removeWhatTheTestMade() throws Exception {
        tryDocker(Duration.ofSeconds(60), "rm", "--force", "--volumes", container);
        tryDocker(Duration.ofSeconds(60), "volume", "rm", "--force", volume);
        dropDatabase();
    }

    @Test
    void theImageRunsUnprivilegedIsHealthyStopsGracefullyAndKeepsWhatItAcknowledged() throws Exception {
        String image = ContainerImages.application();
        assertThat(docker(Duration.ofSeconds(30), "image", "inspect", "--format",
                "{{.Config.User}}|{{json .Config.ExposedPorts}}|{{json .Config.Volumes}}|{{json .Config.Entrypoint}}"
                        + "|{{json .Config.Healthcheck.Test}}", image).split("\\|"))
                .containsExactly("gpudash:gpudash", "{\"8500/tcp\":{},\"8501/tcp\":{}}",
                        "{\"/var/lib/gpu-dashboard\":{}}",
                        "[\"java\",\"-jar\",\"/opt/gpu-dashboard/gpu-dashboard.jar\"]",
                        "[\"CMD\",\"gpudash-healthcheck\"]");
        assertThat(docker(Duration.ofSeconds(30), "image", "inspect", "--format", "{{json .Config.Env}}", image))
                .as("nothing secret is baked into the image").doesNotContainIgnoringCase("PASSWORD");

        int port = PackagedApplication.freePort();
        int managementPort = PackagedApplication.freePort();
        long started = System.nanoTime();
        docker(Duration.ofSeconds(60), "run", "--detach", "--name", container, "--network", "host",
                "--memory", String.valueOf(MEMORY_LIMIT), "--volume", volume + ":/var/lib/gpu-dashboard",
                // The image's interval is 10 s; the test looks more often to end sooner, with the image's check.
                "--health-interval", "2s",
                "--env", "MGMT_SERVER_IP=127.0.0.1", "--env", "MGMT_SERVER_PORT=" + port,
                "--env", "METRICS_PORT=" + managementPort,
                "--env", "DB_HOST=" + TestServices.dbHost(), "--env", "DB_PORT=" + TestServices.dbPort(),
                "--env", "DB_USER=" + TestServices.dbUser(), "--env", "DB_PASSWORD=" + TestServices.dbPassword(),
                "--env", "DB_NAME=" + DATABASE, "--env", "ADMIN_PASSWORD=" + TestAdmin.PASSWORD,
                "--env", "GPUDASH_SECURITY_BCRYPT_COST=4", image);
        ContainerImages.awaitHealthy(container, STARTUP_LIMIT);
        System.out.printf("[ContainerImageIT] healthy %d ms after docker run%n", millisSince(started));
        assertThat(docker(Duration.ofSeconds(30), "exec", container, "id", "-u")).as("the user in the container")
                .isNotEqualTo("0");
        ApiClient api = new ApiClient(port).signInAsAdmin();
        String username = "image-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> registered = api.register(username);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        assertThat(heapLimit(managementPort)).as("the heap follows the container's memory limit (MaxRAMPercentage)")
                .isBetween(MEMORY_LIMIT / 2, MEMORY_LIMIT * 3 / 4);

        long stopping = System.nanoTime();
        docker(Duration.ofSeconds(30), "stop", "--time", "10", container);
        long stopMillis = millisSince(stopping);
        System.out.printf("[ContainerImageIT] docker stop took %d ms%n", stopMillis);
        // 143 is the JVM ending on SIGTERM after its shutdown hooks; docker's SIGKILL after the 10 s would be 137.
        assertThat(docker(Duration.ofSeconds(30), "inspect", "--format", "{{.State.ExitCode}}", container))
                .as("the exit status after docker stop; the log:%n%s", ContainerImages.logs(container)).isEqualTo("143");
        assertThat(stopMillis).as("docker stop's duration in ms").isLessThan(10_000);
        assertThat(ContainerImages.logs(container)).as("the log of the stop").contains("Graceful shutdown complete");

        docker(Duration.ofSeconds(60), "start", container);
        ContainerImages.awaitHealthy(container, STARTUP_LIMIT);
        ApiClient again = new ApiClient(port).signInAsAdmin();
        HttpResponse<String> twice = again.register(username);
        assertThat(twice.statusCode()).as("registering %s again after the restart: %s", username, twice.body())
                .isEqualTo(409);
        HttpResponse<String> users = again.get("/api/admin/users?size=100");
        assertThat(users.statusCode()).as(users.body()).isEqualTo(200);
        assertThat(users.body()).contains("\"username\":\"" + username + "\"");
    }

    /** The heap's limit as the JVM reports it: the sum of its pools' maxima (those that have one). */
    private static long heapLimit(int managementPort) throws Exception {
        HttpResponse<String> metrics = new ApiClient(managementPort).get("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        Matcher pool = Pattern.compile("(?m)^jvm_memory_max_bytes\\{[^}]*area=\"heap\"[^}]*} (\\S+)$")
                .matcher(metrics.body());
        long sum = 0;
        List<String> seen = new java.util.ArrayList<>();
        while (pool.find()) {
            seen.add(pool.group(1));
            sum += Math.max(0, (long) Double.parseDouble(pool.group(1)));
        }
        assertThat(seen).as("heap pools in /actuator/prometheus").isNotEmpty();
        return sum;
    }

    private static long millisSince(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
    }

    private static void dropDatabase() throws Exception {
        try (Connection server = DriverManager.getConnection("jdbc:mariadb://" + TestServices.dbHost() + ":"
                + TestServices.dbPort() + "/", TestServices.dbUser(), TestServices.dbPassword())) {
            server.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
        }
    }
}
