package com.gpudash.infra;

import com.gpudash.api.DomainException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Endpoints that only tests have, to drive the global error mapping through real requests. */
@TestComponent
@RestController
public class ProbeController {

    public enum Colour { RED, GREEN }

    public record ProbeBody(@NotBlank String name, @Min(0) int count, Colour colour) {
    }

    @PostMapping("/test/probe")
    Mono<ProbeBody> echo(@Valid @RequestBody ProbeBody body) {
        return Mono.just(body);
    }

    @PostMapping("/test/conflict")
    Mono<Void> conflict() {
        return Mono.error(DomainException.conflict("the name 'alice' is taken"));
    }

    @GetMapping("/test/crash")
    Mono<Void> crash() {
        return Mono.error(new IllegalStateException("secret internal detail"));
    }
}
