package com.gpudash.infra.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What Prometheus scrapes follows its conventions, as its own linter judges them. */
@H2ApplicationTest
@RequiresServices(Service.PROMTOOL)
class PrometheusScrapeTest {

    @Autowired
    WebTestClient client;

    @LocalManagementPort
    int managementPort;

    @Test
    void theScrapePassesPromtoolCheckMetrics() throws Exception {
        // The scrape is larger than the API's 256 KB body limit, which the test client shares.
        String scrape = client.mutate().baseUrl("http://127.0.0.1:" + managementPort)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 << 20)).build()
                .get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        Process promtool = new ProcessBuilder(TestServices.promtoolBinary(), "check", "metrics")
                .redirectErrorStream(true).start();
        promtool.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(verdict).as("promtool check metrics").isEmpty();
        assertThat(promtool.exitValue()).isZero();
    }
}
