package com.gpudash.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.UUID;

import com.gpudash.infra.H2ApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;

/**
 * The login throttle keys on the account and on the source address: callers on other loopback addresses
 * (127.0.0.0/8 all reach the server) stand for other machines.
 */
@H2ApplicationTest
class LoginThrottleEndpointsTest {

    /** The per-address allowance of H2ApplicationTest. */
    private static final int ADDRESS_MAX_FAILURES = 100;

    @Autowired
    WebTestClient client;
    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(client);
    }

    @Test
    void wrongPasswordsFromAnotherAddressDoNotKeepTheOwnerOut() {
        String username = Api.uniqueName("target");
        api.createUser(api.adminToken(), username, "REGULAR");
        Api attacker = new Api(from("127.0.10.1"));

        for (int attempt = 0; attempt < 5; attempt++) {
            attacker.login(username, "guess " + attempt).expectStatus().isUnauthorized();
        }

        attacker.login(username, Api.PASSWORD).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        api.login(username, Api.PASSWORD).expectStatus().isOk();
    }

    @Test
    void oneAddressTryingManyUsernamesIsHeldForEveryUsername() {
        String username = Api.uniqueName("bystander");
        api.createUser(api.adminToken(), username, "REGULAR");
        Api scanner = new Api(from("127.0.10.2"));

        for (int attempt = 0; attempt < ADDRESS_MAX_FAILURES; attempt++) {
            scanner.login("nobody-" + UUID.randomUUID(), "guess").expectStatus().isUnauthorized();
        }

        scanner.login("nobody-" + UUID.randomUUID(), "guess").expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, seconds ->
                        assertThat(Long.parseLong(seconds)).isPositive());
        scanner.login(username, Api.PASSWORD).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        api.login("nobody-" + UUID.randomUUID(), "guess").expectStatus().isUnauthorized();
        api.login(username, Api.PASSWORD).expectStatus().isOk();
    }

    /** A client whose connections come from {@code address}. */
    private WebTestClient from(String address) {
        HttpClient http = HttpClient.create().bindAddress(() -> new InetSocketAddress(address, 0));
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(http))
                .baseUrl("http://127.0.0.1:" + port)
                .build();
    }
}
