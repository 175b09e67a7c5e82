package com.gpudash.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import com.gpudash.testsupport.TestNginx;

/**
 * The machine side of a provisioning, for a test or benchmark that runs one on the real services: under one
 * temporary directory, {@code template/} with one file (WORKDIR_TEMPLATE), {@code workspaces/} (WORKDIR_DEPLOY) and
 * {@code nginx/}, the prefix of an nginx of the caller's own whose server includes the generated
 * {@code nginx/routes.conf} (NGINX_CONFIG_FILE), and any other routes files named, and answers 404 elsewhere.
 * Closing it stops that nginx and removes the directory.
 */
public final class ProvisioningSite implements AutoCloseable {

    private final Path root;
    private final TestNginx nginx;

    private ProvisioningSite(Path root, TestNginx nginx) {
        this.root = root;
        this.nginx = nginx;
    }

    public static ProvisioningSite open(String name, String templateFile, String templateContent,
                                        String... otherRoutesFiles) throws IOException {
        Path root = Files.createTempDirectory(name);
        Files.createDirectories(root.resolve("template"));
        Files.writeString(root.resolve("template").resolve(templateFile), templateContent);
        Files.createDirectories(root.resolve("workspaces"));
        Path prefix = Files.createDirectories(root.resolve("nginx"));
        StringBuilder server = new StringBuilder();
        for (String routes : Stream.concat(Stream.of("routes.conf"), Stream.of(otherRoutesFiles)).toList()) {
            Files.writeString(prefix.resolve(routes), "");
            server.append("include ").append(prefix.resolve(routes)).append(";\n");
        }
        server.append("location / { return 404; }\n");
        try {
            return new ProvisioningSite(root, TestNginx.start(prefix, server.toString()));
        } catch (IOException | RuntimeException e) {
            // No nginx to stop: the directory is all there is to take back.
            delete(root);
            throw e;
        }
    }

    public Path root() {
        return root;
    }

    public TestNginx nginx() {
        return nginx;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            nginx.close();
        } finally {
            delete(root);
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
