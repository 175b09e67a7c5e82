package com.gpudash.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.api.audit.LoginThrottled;
import com.gpudash.api.audit.LoginsThrottled;
import com.gpudash.command.session.ThrottledLogins;
import com.gpudash.infra.H2ApplicationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * A client that keeps retrying throttled logins, over many usernames, from one address (127.0.10.3, apart from the
 * other tests' addresses) is counted, not stored login by login: every throttled login is in the audit record
 * exactly once, as a first or within a count, in a few dozen events.
 */
@H2ApplicationTest
class ThrottledLoginsTest {

    /** The per-address allowance of H2ApplicationTest. */
    private static final int ADDRESS_MAX_FAILURES = 100;
    private static final String SCANNER = "127.0.10.3";
    private static final int THROTTLED_LOGINS = 2_000;
    private static final int USERNAMES = 50;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ThrottledLogins throttledLogins;
    @LocalServerPort
    int port;

    private final ObjectMapper json = new ObjectMapper();

    private record Stored(String type, String payload) {
    }

    @Test
    void thousandsOfThrottledLoginsOverManyUsernamesAreCountedInAFewEvents() throws Exception {
        HttpClient scanner = HttpClient.create().baseUrl("http://127.0.0.1:" + port)
                .bindAddress(() -> new InetSocketAddress(SCANNER, 0)).responseTimeout(Duration.ofSeconds(30));
        Api scannerApi = new Api(WebTestClient.bindToServer(new ReactorClientHttpConnector(scanner))
                .baseUrl("http://127.0.0.1:" + port).build());
        for (int attempt = 0; attempt < ADDRESS_MAX_FAILURES; attempt++) {
            scannerApi.login("nobody-" + UUID.randomUUID(), "guess").expectStatus().isUnauthorized();
        }
        throttledLogins.flush();
        long lastEvent = jdbc.queryForObject("SELECT COALESCE(MAX(globalIndex), 0) FROM DomainEventEntry", Long.class);

        List<Integer> statuses = Flux.range(0, THROTTLED_LOGINS)
                .flatMap(i -> scanner.post().uri("/api/login")
                        .send((request, out) -> {
                            request.requestHeaders().set("Content-Type", "application/json");
                            return out.sendString(Mono.just(
                                    "{\"username\":\"scanned-" + (i % USERNAMES) + "\",\"password\":\"guess\"}"));
                        })
                        .responseSingle((response, body) -> body.then().thenReturn(response.status().code())), 16)
                .collectList()
                .block(Duration.ofMinutes(2));
        throttledLogins.flush();

        assertThat(statuses).hasSize(THROTTLED_LOGINS).containsOnly(429);
        List<Stored> stored = jdbc.query("SELECT payloadType, payload FROM DomainEventEntry"
                        + " WHERE globalIndex > ? AND metaData LIKE ?",
                (row, n) -> new Stored(row.getString(1), new String(row.getBytes(2), StandardCharsets.UTF_8)),
                lastEvent, "%" + SCANNER + "%");
        long firsts = stored.stream().filter(event -> LoginThrottled.class.getName().equals(event.type())).count();
        long counted = 0;
        for (Stored event : stored) {
            if (LoginsThrottled.class.getName().equals(event.type())) {
                counted += json.readTree(event.payload()).get("count").asLong();
            }
        }
        System.out.printf("%d throttled logins over %d usernames stored %d events%n", THROTTLED_LOGINS, USERNAMES,
                stored.size());
        assertThat(firsts + counted).as("each throttled login recorded once").isEqualTo(THROTTLED_LOGINS);
        assertThat(stored).as("only the throttle's records").allSatisfy(event -> assertThat(event.type()).isIn(LoginThrottled.class.getName(), LoginsThrottled.class.getName()));
        // 20 accounts of its own and "*" for the other 30, a first and a count each; twice that if the run crossed
        // the end of an interval.
        assertThat(stored.size()).isBetween(2, 4 * (ThrottledLogins.ACCOUNTS_PER_SOURCE + 1));
    }
}
