package com.gpudash.infra.web;

import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The seed's {@code /health} on the main port, for load balancers and the dashboard; the actuator's probes
 * stay on the management port. It reports the same indicators as the actuator.
 */
@RestController
class HealthController {

    private final HealthEndpoint healthEndpoint;

    HealthController(HealthEndpoint healthEndpoint) {
        this.healthEndpoint = healthEndpoint;
    }

    @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<HealthComponent>> health() {
        // The database indicators block on JDBC, so they run off the event loop.
        return Mono.fromCallable(healthEndpoint::health)
                .subscribeOn(Schedulers.boundedElastic())
                .map(health -> ResponseEntity
                        .status(Status.UP.equals(health.getStatus()) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                        .body(health));
    }
}
