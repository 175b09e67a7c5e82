package com.gpudash.agent.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestNginx;
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
        try (TestNginx nginx = TestNginx.start(prefix, "location = /ping { return 200 \"pong\\n\"; }")) {
            Process check = new ProcessBuilder(nginx.command("-t")).redirectErrorStream(true).start();
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as(new String(check.getInputStream().readAllBytes())).isZero();

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + "/ping")).build();
            HttpResponse<String> response = Eventually.await("nginx to answer", Duration.ofSeconds(10), () -> {
                try {
                    return Optional.of(http.send(ping, HttpResponse.BodyHandlers.ofString()));
                } catch (java.net.ConnectException notYet) {
                    return Optional.empty();
                }
            });
            assertThat(response.body()).isEqualTo("pong\n");
        }
    }
}
