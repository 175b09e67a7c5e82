package com.gpudash.infra.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.MediaType;
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
        Pattern handledByUsers = Pattern.compile(
                "(?m)^gpudash_event_processor_events_total\\{[^}]*outcome=\"handled\",processor=\"users-projection\"} ([0-9.E]+)$");
        double before = handled(handledByUsers, scrape());
        String username = "scrape-" + UUID.randomUUID().toString().substring(0, 8);
        client.post().uri("/api/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", "correct horse battery", "email", username + "@example.org"))
                .exchange().expectStatus().isCreated();
        String scrape = Eventually.await("the users projection to count the registration", Duration.ofSeconds(20),
                () -> Optional.of(scrape()).filter(text -> handled(handledByUsers, text) > before));

        Process promtool = new ProcessBuilder(TestServices.promtoolBinary(), "check", "metrics")
                .redirectErrorStream(true).start();
        promtool.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(verdict).as("promtool check metrics").isEmpty();
        assertThat(scrape).as("each streaming processor's own meters, made once when it was built")
                .containsPattern("(?m)^gpudash_event_processor_lag_seconds\\{[^}]*processor=\"audit-projection\"} ")
                .as("no per-message meters for processors").doesNotContain("axon_event_processor_", "user-accounts");
        assertThat(promtool.exitValue()).isZero();
    }

    private static double handled(Pattern counter, String scrape) {
        Matcher found = counter.matcher(scrape);
        assertThat(found.find()).as("the users projection's handled events in the scrape").isTrue();
        return Double.parseDouble(found.group(1));
    }

    private String scrape() {
        // The scrape is larger than the API's 256 KB body limit, which the test client shares.
        return client.mutate().baseUrl("http://127.0.0.1:" + managementPort)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 << 20)).build()
                .get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }
}
