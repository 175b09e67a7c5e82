package com.gpudash.infra.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.infra.web.ProblemJsonExceptionHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventhandling.gateway.DefaultEventGateway;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;

/**
 * A source without a session that is past its allowance gets its 429 only after the delay, so a client flooding
 * back to back is slowed to one request per connection per delay.
 */
class ThrottledAnswerDelayTest {

    private final List<EventMessage<?>> recorded = new ArrayList<>();
    private final AccessDeniedRecorder recorder = recorder(Duration.ofSeconds(1));

    @Test
    void aThrottledSourceWaitsForItsAnswer() {
        ProblemJsonExceptionHandler handler = new ProblemJsonExceptionHandler(new ObjectMapper(), recorder);
        MockServerWebExchange first = anonymousCall();
        handler.handle(first, new AuthenticationCredentialsNotFoundException("no session")).block(Duration.ofSeconds(10));
        assertThat(first.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(recorded).as("the first refusal of the interval is recorded").hasSize(1);

        MockServerWebExchange throttled = anonymousCall();
        long started = System.nanoTime();
        handler.handle(throttled, new AuthenticationCredentialsNotFoundException("no session")).block(Duration.ofSeconds(10));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(throttled.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(throttled.getResponse().getHeaders().getFirst("Retry-After")).isNotBlank();
        assertThat(tookMillis).as("the 429 waits for the delay").isGreaterThanOrEqualTo(1000);
        assertThat(recorded).as("a throttled refusal is counted, not recorded").hasSize(1);
    }

    /** A recorder that allows no refusal beyond the first of an interval. */
    private AccessDeniedRecorder recorder(Duration delay) {
        SimpleEventBus bus = SimpleEventBus.builder().build();
        bus.subscribe(recorded::addAll);
        return new AccessDeniedRecorder(DefaultEventGateway.builder().eventBus(bus).build(), Clock.systemUTC(),
                Duration.ofMinutes(1), 20, 1, delay);
    }

    private static MockServerWebExchange anonymousCall() {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/api/admin/users")
                .remoteAddress(new InetSocketAddress("127.0.30.1", 40000)));
    }
}
