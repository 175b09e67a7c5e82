package com.gpudash.infra.deploy;

import static com.gpudash.infra.deploy.DockerCli.docker;
import static com.gpudash.infra.deploy.DockerCli.tryDocker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.TestServices;

/**
 * The images of the container tests. No registry is reachable, so the public bases (a Java 17 runtime, MariaDB,
 * nginx) are stood in for by local images that {@code scripts/test-deploy-images.sh} builds from Debian packages;
 * each name can be moved with the environment variable of the same name. The application's image is built from the
 * repository's Dockerfile on the local Java base, as an operator builds it on the public one.
 */
final class ContainerImages {

    static final String APPLICATION = "gpudash-app-test:latest";
    /** The repository root: Maven runs the tests in infra/. */
    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    private static boolean applicationBuilt;

    private ContainerImages() {
    }

    static String jre() {
        return env("TEST_JRE_IMAGE", "gpudash-jre-test:bookworm");
    }

    static String mariaDb() {
        return env("TEST_MARIADB_IMAGE", "gpudash-mariadb-test:bookworm");
    }

    static String nginx() {
        return env("TEST_NGINX_IMAGE", "gpudash-nginx-test:bookworm");
    }

    /** Fails, naming what builds them, unless the local base images are in the test engine. */
    static void requireLocalImages() {
        for (String image : List.of(jre(), mariaDb(), nginx())) {
            if (tryDocker(Duration.ofSeconds(30), "image", "inspect", image).status() != 0) {
                throw new AssertionError("the local image " + image + " is missing from the test Docker Engine ("
                        + TestServices.dockerEndpoint() + "); scripts/test-deploy-images.sh builds it, and "
                        + TestServices.HOW_TO_START);
            }
        }
    }

    /** The Dockerfile built on the local Java base, once per test run (the jar does not change within one). */
    static synchronized String application() {
        if (!applicationBuilt) {
            Path jar = REPOSITORY.resolve("infra/target/gpu-dashboard.jar");
            if (!Files.exists(jar)) {
                throw new AssertionError(jar + " is missing: the container tests run after `mvn package`");
            }
            DockerCli.Result previous = tryDocker(Duration.ofSeconds(30), "image", "inspect", "--format", "{{.Id}}",
                    APPLICATION);
            long started = System.nanoTime();
            String built = docker(Duration.ofMinutes(5), "build", "--quiet", "--build-arg", "BASE_IMAGE=" + jre(),
                    "--tag", APPLICATION, REPOSITORY.toString());
            // Each new jar makes a new image: the engine outlives the run, so the one it replaces goes.
            if (previous.status() == 0 && !built.contains(previous.output().strip())) {
                tryDocker(Duration.ofSeconds(60), "rmi", previous.output().strip());
            }
            System.out.printf("[ContainerImages] built %s on %s in %d ms%n", APPLICATION, jre(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            applicationBuilt = true;
        }
        return APPLICATION;
    }

    /**
     * Waits for the image's HEALTHCHECK to call the container healthy, and fails at once, with its log, if the
     * container stops or is called unhealthy.
     */
    static void awaitHealthy(String container, Duration limit) {
        Eventually.await(() -> "container " + container + " to be healthy; its log:\n" + logs(container), limit,
                Duration.ofSeconds(1), () -> {
                    String[] state = docker(Duration.ofSeconds(30), "inspect", "--format",
                            "{{.State.Status}} {{.State.Health.Status}}", container).split(" ");
                    if (!state[0].equals("running") || state[1].equals("unhealthy")) {
                        throw new AssertionError("container " + container + " is " + String.join(" ", state)
                                + "; its log:\n" + logs(container));
                    }
                    return state[1].equals("healthy") ? java.util.Optional.of(true) : java.util.Optional.empty();
                });
    }

    static String logs(String container) {
        return tryDocker(Duration.ofSeconds(30), "logs", "--tail", "200", container).output();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
