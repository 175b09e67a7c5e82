package com.gpudash.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.infra.TestAdmin;
import com.jayway.jsonpath.JsonPath;
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

    /** Anyone may ask: the statuses say what a load balancer needs; the details say where the data lives. */
    @Test
    void anonymousCallersGetStatusesOnly() {
        String body = client.get().uri("/health").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(JsonPath.<String>read(body, "$.status")).isEqualTo("UP");
        assertThat(JsonPath.<String>read(body, "$.components.diskSpace.status")).isEqualTo("UP");
        assertThat(body).doesNotContain("details", "total", "free", "\"H2\"",
                Path.of("").toAbsolutePath().toString());
    }

    @Test
    void adminsAndTheManagementPortGetTheDetails() {
        TestAdmin.signedIn(client).get().uri("/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.diskSpace.details.total").isNumber()
                .jsonPath("$.components.db.details.database").isEqualTo("H2");
        client.mutate().baseUrl("http://127.0.0.1:" + managementPort).build()
                .get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.diskSpace.details.total").isNumber();
    }

    @Test
    void probesAndPrometheusAreOnTheManagementPort() {
        // The scrape is larger than the API's 256 KB body limit, which the test client shares.
        WebTestClient management = client.mutate().baseUrl("http://127.0.0.1:" + managementPort)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 << 20)).build();

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
