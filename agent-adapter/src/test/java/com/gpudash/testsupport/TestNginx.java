package com.gpudash.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx of the test's own: its prefix, config, pid and logs under one directory, listening on a free
 * loopback port, with a {@code server} block whose body the test writes (routes to include, fixed locations).
 */
public final class TestNginx implements AutoCloseable {

    private final Path prefix;
    private final Path config;
    private final int port;
    private final Process process;

    private TestNginx(Path prefix, Path config, int port, Process process) {
        this.prefix = prefix;
        this.config = config;
        this.port = port;
        this.process = process;
    }

    /** Writes {@code nginx.conf} into {@code prefix} with {@code serverBody} inside its server block, and starts it. */
    public static TestNginx start(Path prefix, String serverBody) throws IOException {
        TestServices.require(TestServices.Service.NGINX);
        Files.createDirectories(prefix.resolve("logs"));
        int port = freePort();
        Path config = prefix.resolve("nginx.conf");
        Files.writeString(config, """
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp;
                    proxy_temp_path %1$s/tmp;
                    fastcgi_temp_path %1$s/tmp;
                    uwsgi_temp_path %1$s/tmp;
                    scgi_temp_path %1$s/tmp;
                    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                    server {
                        listen 127.0.0.1:%2$d;
                %3$s
                    }
                }
                """.formatted(prefix, port, serverBody.indent(8).stripTrailing()), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(command(prefix, config)).redirectErrorStream(true)
                .redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        return new TestNginx(prefix, config, port, process);
    }

    public int port() {
        return port;
    }

    public Path prefix() {
        return prefix;
    }

    /** The nginx command line for this instance, with {@code arguments} added (such as {@code -t}). */
    public List<String> command(String... arguments) {
        List<String> command = command(prefix, config);
        command.addAll(List.of(arguments));
        return command;
    }

    /** The same command line as one string, the way NGINX_TEST_COMMAND and NGINX_RELOAD_COMMAND are written. */
    public String commandLine(String... arguments) {
        return String.join(" ", command(arguments));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder(command("-s", "quit")).start().waitFor(10, TimeUnit.SECONDS);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static List<String> command(Path prefix, Path config) {
        return new ArrayList<>(List.of(TestServices.nginxBinary(), "-p", prefix.toString(), "-c", config.toString()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
