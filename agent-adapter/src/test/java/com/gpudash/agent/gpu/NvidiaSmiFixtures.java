package com.gpudash.agent.gpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The published nvidia-smi outputs in {@code src/test/resources/nvidia-smi-public} (where each came from and
 * under which licence: its SOURCES.md), read from the test classpath. A missing file fails the test: a parser test
 * that skips itself proves nothing.
 */
final class NvidiaSmiFixtures {

    static final String DIRECTORY = "/nvidia-smi-public/";

    private NvidiaSmiFixtures() {
    }

    static String read(String fileName) {
        return new String(bytes(fileName), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String fileName) {
        try (InputStream in = NvidiaSmiFixtures.class.getResourceAsStream(DIRECTORY + fileName)) {
            if (in == null) {
                return fail("nvidia-smi fixture " + fileName + " is not in src/test/resources" + DIRECTORY);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + fileName, e);
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
}
