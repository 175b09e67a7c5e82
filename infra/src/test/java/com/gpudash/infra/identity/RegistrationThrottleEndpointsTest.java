package com.gpudash.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Map;

import com.gpudash.infra.H2ApplicationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;

/** Registrations are limited per source address; other loopback addresses stand for other machines. */
@H2ApplicationTest
class RegistrationThrottleEndpointsTest {

    /** The per-address allowance of H2ApplicationTest. */
    private static final int ADDRESS_MAX = 200;

    @Autowired
    WebTestClient client;
    @LocalServerPort
    int port;

    @Test
    void oneAddressIsRefusedBeyondItsAllowanceAndOthersAreNot() {
        WebTestClient flooder = from("127.0.20.1");
        for (int attempt = 0; attempt < ADDRESS_MAX; attempt++) {
            // Invalid bodies count too: they are cheap for the test and the flood alike.
            flooder.post().uri("/api/register").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                    .expectStatus().isBadRequest();
        }
        String username = Api.uniqueName("flood");
        Map<String, String> good = Map.of("username", username, "password", Api.PASSWORD,
                "email", username + "@example.org");
        flooder.post().uri("/api/register").contentType(MediaType.APPLICATION_JSON).bodyValue(good).exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, seconds ->
                        assertThat(Long.parseLong(seconds)).isPositive());

        from("127.0.20.2").post().uri("/api/register").contentType(MediaType.APPLICATION_JSON).bodyValue(good)
                .exchange().expectStatus().isCreated();
    }

    /** A client whose connections come from {@code address}. */
    private WebTestClient from(String address) {
        HttpClient http = HttpClient.create().bindAddress(() -> new InetSocketAddress(address, 0));
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(http))
                .baseUrl("http://127.0.0.1:" + port)
                .build();
    }
}
