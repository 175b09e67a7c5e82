package com.gpudash.agent.gpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real nvidia-smi outputs in {@code shared/fixtures/nvidia-smi} (see its SOURCES.md). They live beside the
 * repository, not in it: a clone at X finds them at {@code X/../shared/fixtures/nvidia-smi}. Maven runs the tests
 * in the module directory, so the search walks up from the working directory to a directory with such a sibling.
 * {@code GPUDASH_FIXTURES_DIR} (system property, then environment variable) names the folder directly.
 *
 * <p>Not finding them fails the test: a parser test that skips itself proves nothing.
 */
final class NvidiaSmiFixtures {

    private static final String OVERRIDE = "GPUDASH_FIXTURES_DIR";
    private static final Path SIBLING = Path.of("shared", "fixtures", "nvidia-smi");

    private NvidiaSmiFixtures() {
    }

    static String read(String fileName) {
        Path file = directory().resolve(fileName);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + file, e);
        }
    }

    /** The field list of a {@code --query-gpu=...} fixture's command line, from its {@code .cmd} file. */
    static List<String> queriedGpuFields(String fixtureName) {
        for (String argument : read(fixtureName + ".cmd").strip().split(" ")) {
            if (argument.startsWith("--query-gpu=")) {
                return List.of(argument.substring("--query-gpu=".length()).split(","));
            }
        }
        return fail(fixtureName + ".cmd has no --query-gpu= argument");
    }

    static Path directory() {
        String override = System.getProperty(OVERRIDE, System.getenv(OVERRIDE));
        if (override != null) {
            Path named = Path.of(override).toAbsolutePath();
            return Files.isDirectory(named) ? named : fail(OVERRIDE + " is " + override + ", which is not a directory");
        }
        List<Path> looked = new ArrayList<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir.getParent() != null; dir = dir.getParent()) {
            Path candidate = dir.getParent().resolve(SIBLING);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            looked.add(candidate);
        }
        return fail("nvidia-smi fixtures not found. Set " + OVERRIDE + " (system property or environment variable) "
                + "or put them at <clone>/../" + SIBLING + ". Looked in: " + looked);
    }
}
