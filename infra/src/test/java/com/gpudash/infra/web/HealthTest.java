package com.gpudash.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.gpudash.infra.H2ApplicationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.web.reactive.server.WebTestClient;

@H2ApplicationTest
class HealthTest {

    @Autowired
    WebTestClient client;

    @LocalManagementPort
    int managementPort;

    @Test
    void healthIsUpOnTheMainPortWithItsComponents() {
        client.get().uri("/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.db.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                .jsonPath("$.components.dbScheduler.status").isEqualTo("UP");
    }

    @Test
    void probesAndPrometheusAreOnTheManagementPort() {
        // A scrape of the shared test context (every route and command the other tests used) exceeds the 256 KB
        // that the application's codecs buffer.
        WebTestClient management = client.mutate().baseUrl("http://127.0.0.1:" + managementPort)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024)).build();

        management.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
        management.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk();
        String scrape = management.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape).contains("# TYPE jvm_memory_used_bytes gauge", "application=\"gpu-dashboard\"");
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
    }
}
