package com.gpudash.infra.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/** A component that is down makes {@code /health} answer 503 with which one, as a load balancer expects. */
// A database of its own: a second context on the shared one would run its processors and workers beside it.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "DATA_DIR=target/test-data/health-down", "LOG_FILE=target/test-data/health-down.log",
        "management.server.port=0", "gpudash.security.bcrypt-cost=4", "gpudash.health.max-age=1h"})
@Import(HealthDownTest.DownDatabase.class)
class HealthDownTest {

    @TestConfiguration
    static class DownDatabase {
        static final AtomicInteger evaluations = new AtomicInteger();

        @Bean
        HealthIndicator replicaDb() {
            return () -> {
                evaluations.incrementAndGet();
                return Health.down().withDetail("error", "Connection refused").build();
            };
        }
    }

    @Autowired
    WebTestClient client;

    @Test
    void aDownComponentIs503() {
        client.get().uri("/health").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody()
                .jsonPath("$.status").isEqualTo("DOWN")
                .jsonPath("$.components.replicaDb.status").isEqualTo("DOWN")
                .jsonPath("$.components.db.status").isEqualTo("UP");
    }

    @Test
    void oneEvaluationAnswersEveryCallWithinTheMaxAge() {
        client.get().uri("/health").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        int before = DownDatabase.evaluations.get();
        Flux.range(0, 50)
                .flatMap(call -> client.get().uri("/health").exchange().returnResult(String.class).getResponseBody()
                        .then(), 16)
                .blockLast(Duration.ofSeconds(30));
        assertThat(DownDatabase.evaluations.get()).isEqualTo(before);
        // What is remembered is still the truth it saw: the down component keeps the answer at 503.
        client.get().uri("/health").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }
}
