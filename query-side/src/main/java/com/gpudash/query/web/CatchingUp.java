package com.gpudash.query.web;

import java.time.Duration;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Reading a row that the event store already holds but a read model may not show yet: the projections trail
 * the store by milliseconds, and a client acts on a 2xx at once. The row is read again for up to two seconds;
 * then the answer is 503 (try again), never a 404 for something that exists.
 */
public final class CatchingUp {

    private static final int ATTEMPTS = 40;
    private static final Duration PAUSE = Duration.ofMillis(50);

    private CatchingUp() {
    }

    /** @param what names the thing in the 503's detail, e.g. "operation 1234" */
    public static <T> Mono<T> read(Mono<T> row, String what) {
        return row.repeatWhenEmpty(ATTEMPTS, attempts -> attempts.delayElements(PAUSE))
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                        "The read model has not caught up with " + what + " yet; try again shortly")));
    }
}
