package com.gpudash.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The copied fixtures are byte-for-byte the published outputs SOURCES.md describes: an edited, re-encoded or
 * line-ending-converted file would make the parser tests prove something about text nvidia-smi never printed.
 */
class NvidiaSmiFixturesChecksumTest {

    /** The files that describe the fixtures rather than being fixtures. */
    private static final Set<String> DESCRIPTIONS = Set.of("CHECKSUMS.sha256", "SOURCES.md");

    private static Map<String, String> listedChecksums() {
        Map<String, String> listed = new TreeMap<>();
        NvidiaSmiFixtures.read("CHECKSUMS.sha256").lines().forEach(line -> {
            // sha256sum's format: 64 hex digits, two spaces (text mode), the path.
            assertThat(line).matches("[0-9a-f]{64}  \\S+");
            listed.put(line.substring(66), line.substring(0, 64));
        });
        return listed;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyListedFileHasItsPublishedChecksum() {
        Map<String, String> listed = listedChecksums();

        assertThat(listed).isNotEmpty();
        listed.forEach((file, checksum) -> assertThat(sha256(NvidiaSmiFixtures.bytes(file))).as(file)
                .isEqualTo(checksum));
    }

    @Test
    void everyFixtureInTheDirectoryIsListed() throws IOException, URISyntaxException {
        Path directory = Path.of(NvidiaSmiFixtures.class.getResource(NvidiaSmiFixtures.DIRECTORY).toURI());
        Set<String> present;
        try (Stream<Path> files = Files.walk(directory)) {
            present = files.filter(Files::isRegularFile)
                    .map(file -> directory.relativize(file).toString().replace('\\', '/'))
                    .filter(name -> !DESCRIPTIONS.contains(name) && !name.startsWith("LICENSES/"))
                    .collect(Collectors.toSet());
        }

        assertThat(present).containsExactlyInAnyOrderElementsOf(listedChecksums().keySet());
    }
}
