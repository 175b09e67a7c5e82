package com.gpudash.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.gpudash.testsupport.TestServices;

/**
 * The docker client (TEST_DOCKER_BIN) and whichever compose there is ({@code docker compose}, else Debian's
 * {@code docker-compose}), both aimed at the test Docker Engine (TEST_DOCKER_ENDPOINT) through DOCKER_HOST.
 */
final class DockerCli {

    private static final Path DOCKER_COMPOSE_V1 = Path.of("/usr/bin/docker-compose");
    private static List<String> compose;

    private DockerCli() {
    }

    record Result(int status, String output) {
    }

    /** Runs the docker client and fails, with its output, unless it exits 0; answers its output. */
    static String docker(Duration limit, String... arguments) {
        Result result = tryDocker(limit, arguments);
        assertThat(result.status()).as("docker %s:%n%s", String.join(" ", arguments), result.output()).isZero();
        return result.output().strip();
    }

    static Result tryDocker(Duration limit, String... arguments) {
        List<String> command = new ArrayList<>(List.of(TestServices.dockerClientBinary()));
        command.addAll(Arrays.asList(arguments));
        return run(command, limit, Map.of(), null);
    }

    /** Runs compose with {@code arguments} in {@code directory}, and fails, with its output, unless it exits 0. */
    static String compose(Path directory, Duration limit, Map<String, String> environment, String... arguments) {
        Result result = tryCompose(directory, limit, environment, arguments);
        List<String> command = new ArrayList<>(composeCommand());
        command.addAll(Arrays.asList(arguments));
        assertThat(result.status()).as("%s:%n%s", String.join(" ", command), result.output()).isZero();
        return result.output().strip();
    }

    /** As {@link #compose}, answering the status and output instead of failing. */
    static Result tryCompose(Path directory, Duration limit, Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>(composeCommand());
        command.addAll(Arrays.asList(arguments));
        return run(command, limit, environment, directory);
    }

    /** {@code docker compose} (v2) where the client has it, else Debian's docker-compose (1.29). */
    static synchronized List<String> composeCommand() {
        if (compose == null) {
            if (tryDocker(Duration.ofSeconds(30), "compose", "version").status() == 0) {
                compose = List.of(TestServices.dockerClientBinary(), "compose");
            } else if (Files.isExecutable(DOCKER_COMPOSE_V1)) {
                compose = List.of(DOCKER_COMPOSE_V1.toString());
            } else {
                throw new AssertionError("neither `docker compose` nor " + DOCKER_COMPOSE_V1 + " is installed; "
                        + TestServices.HOW_TO_START);
            }
        }
        return compose;
    }

    private static Result run(List<String> command, Duration limit, Map<String, String> environment, Path directory) {
        try {
            // Output goes to a file: a child that keeps the pipe open (a container's log stream) cannot block us.
            Path output = Files.createTempFile("gpudash-docker-", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                if (directory != null) {
                    builder.directory(directory.toFile());
                }
                builder.environment().put("DOCKER_HOST", TestServices.dockerEndpoint());
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(String.join(" ", command) + " did not end within " + limit + ":\n"
                            + Files.readString(output, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }
}
