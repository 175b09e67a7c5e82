package com.gpudash.agent.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness can run a real nginx of its own: test a config, serve on a loopback port, stop. */
@RequiresServices(Service.NGINX)
class NginxSmokeTest {

    @TempDir
    Path prefix;

    @Test
    void testsServesAndStopsAnNginxWithItsOwnPrefix() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.createDirectories(prefix.resolve("logs"));
        Files.writeString(prefix.resolve("nginx.conf"), """
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
                    server {
                        listen 127.0.0.1:%2$d;
                        location = /ping { return 200 "pong\\n"; }
                    }
                }
                """.formatted(prefix, port), StandardCharsets.UTF_8);
        List<String> base = List.of(TestServices.nginxBinary(), "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString());

        Process check = new ProcessBuilder(concat(base, "-t")).redirectErrorStream(true).start();
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(new String(check.getInputStream().readAllBytes())).isZero();

        Process nginx = new ProcessBuilder(base).redirectErrorStream(true).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> response = null;
            for (int attempt = 0; attempt < 50 && response == null; attempt++) {
                try {
                    response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping")).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (java.net.ConnectException notYet) {
                    Thread.sleep(100);
                }
            }
            assertThat(response).as("nginx answered").isNotNull();
            assertThat(response.body()).isEqualTo("pong\n");
        } finally {
            new ProcessBuilder(concat(base, "-s", "quit")).start().waitFor(10, TimeUnit.SECONDS);
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }
}
