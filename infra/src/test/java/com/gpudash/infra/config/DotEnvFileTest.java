package com.gpudash.infra.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotEnvFileTest {

    @Test
    void readsAssignmentsCommentsQuotesAndExport() {
        Map<String, String> values = DotEnvFile.parse(List.of(
                "# a comment",
                "",
                "MGMT_SERVER_PORT=9000",
                "export DB_HOST = db.lab ",
                "DB_PASSWORD=\"p@ss $word # not a comment\"",
                "DOCKER_TAG='cuda 12'",
                "DOCKER_IMAGE=gpu-dev-env # the lab's image",
                "not an assignment",
                "=no name"));

        assertThat(values).containsExactly(
                Map.entry("MGMT_SERVER_PORT", "9000"),
                Map.entry("DB_HOST", "db.lab"),
                Map.entry("DB_PASSWORD", "p@ss $word # not a comment"),
                Map.entry("DOCKER_TAG", "cuda 12"),
                Map.entry("DOCKER_IMAGE", "gpu-dev-env"));
    }

    @Test
    void aMissingFileIsNoSettings(@TempDir Path tmp) throws Exception {
        assertThat(DotEnvFile.read(tmp.resolve(".env"))).isEmpty();

        Files.writeString(tmp.resolve(".env"), "A=1\n");
        assertThat(DotEnvFile.read(tmp.resolve(".env"))).containsExactly(Map.entry("A", "1"));
    }

    @Test
    void theExampleDocumentsEveryVariableTheApplicationReads() throws Exception {
        // Maven runs this module's tests in infra/, the example lives at the repository root.
        String example = Files.readString(Path.of("..", ".env.example"));
        java.util.Set<String> read = new java.util.TreeSet<>();
        Path dataDir = Files.createTempDirectory("dotenv");
        SettingsReader.read(name -> {
            read.add(name);
            return switch (name) {
                case "DB_HOST" -> "127.0.0.1";
                case "DATA_DIR" -> dataDir.toString();
                default -> null;
            };
        }, database -> List.of());

        assertThat(read).contains("MGMT_SERVER_PORT", "DB_PASSWORD", "NGINX_CONFIG_FILE");
        for (String variable : read) {
            assertThat(example).as("documentation of " + variable).containsPattern("(?m)^#?\\s*" + variable + "=");
        }
    }
}
