package com.gpudash.infra.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.gpudash.api.user.Caller;
import com.gpudash.api.user.Permission;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The seed's {@code /health} on the main port, for load balancers and the dashboard; the actuator's probes
 * stay on the management port. It reports the same indicators as the actuator. Anyone may ask, so anyone gets
 * the status of the whole and of each component only; the details (the data directory's absolute path, disk
 * figures, database product) go to admins, and to whoever reaches the management port.
 *
 * <p>Load balancers and dashboards poll this often, and every evaluation asks each database for a connection
 * and a validation query; under load those round trips were most of its cost. So one evaluation answers every
 * call for {@code gpudash.health.max-age} (1 s by default): callers that arrive while it runs wait for it rather
 * than starting their own, and a component that goes down shows within that second. The management port's
 * probes keep evaluating on every call.
 */
@RestController
class HealthController {

    /** A health answer without details: its status and, for a composite, its components' statuses the same way. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StatusOnly(String status, Map<String, StatusOnly> components) {

        static StatusOnly of(HealthComponent health) {
            if (!(health instanceof CompositeHealth composite) || composite.getComponents() == null) {
                return new StatusOnly(health.getStatus().getCode(), null);
            }
            Map<String, StatusOnly> components = new LinkedHashMap<>();
            composite.getComponents().forEach((name, component) -> components.put(name, of(component)));
            return new StatusOnly(health.getStatus().getCode(), components);
        }
    }

    private final Mono<HealthComponent> recentHealth;

    HealthController(HealthEndpoint healthEndpoint, @Value("${gpudash.health.max-age}") Duration maxAge) {
        // The database indicators block on JDBC, so they run off the event loop.
        this.recentHealth = Mono.fromCallable(healthEndpoint::health)
                .subscribeOn(Schedulers.boundedElastic())
                .cache(maxAge);
    }

    @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> health(ServerWebExchange exchange) {
        Caller caller = exchange.getAttribute(Caller.ATTRIBUTE);
        boolean details = caller != null && Permission.heldBy(caller.role()).contains(Permission.MANAGE_SYSTEM);
        return recentHealth.map(health -> ResponseEntity
                        .status(Status.UP.equals(health.getStatus()) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                        .body(details ? health : StatusOnly.of(health)));
    }
}
