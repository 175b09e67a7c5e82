package com.gpudash.command.web;

import java.time.Duration;
import java.time.Instant;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A 429 that tells the client, in Retry-After, when to try again. */
public final class TooManyRequests extends ResponseStatusException {

    private final long retryAfterSeconds;

    private TooManyRequests(String reason, long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, reason);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Refused {@code why} until {@code until}, as seen at {@code now}. */
    public static TooManyRequests until(Instant now, Instant until, String why) {
        // Rounded up: a client that waits exactly Retry-After must not be refused again.
        long millis = Duration.between(now, until).toMillis();
        long seconds = Math.max(1, (millis + 999) / 1000);
        return new TooManyRequests(why + "; try again after " + until, seconds);
    }

    @Override
    public HttpHeaders getHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return headers;
    }
}
