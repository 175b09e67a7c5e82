package com.gpudash.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Map;

import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.infra.TestAdmin;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;

/**
 * The session cookie is Secure when a trusted proxy (by default one on 127.0.0.1) says the client used https;
 * any other loopback address stands for an untrusted machine sending the same header.
 */
@H2ApplicationTest
class TrustedProxyEndpointsTest {

    @Autowired
    WebTestClient client;
    @LocalServerPort
    int port;

    @Test
    void aLoginForwardedAsHttpsByATrustedProxyGetsASecureCookie() {
        assertThat(sessionCookie(client, "https")).contains("Secure");
        assertThat(sessionCookie(client, null)).doesNotContain("Secure");
    }

    @Test
    void theSameHeaderFromAnUntrustedAddressIsIgnored() {
        assertThat(sessionCookie(from("127.0.30.1"), "https")).startsWith("GPUDASH_SESSION=").doesNotContain("Secure");
    }

    private static String sessionCookie(WebTestClient caller, String forwardedProto) {
        return caller.post().uri("/api/login").contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> {
                    if (forwardedProto != null) {
                        headers.set(TrustedProxyHeaders.FORWARDED_PROTO, forwardedProto);
                    }
                })
                .bodyValue(Map.of("username", TestAdmin.USERNAME, "password", TestAdmin.PASSWORD))
                .exchange()
                .expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders().getFirst(HttpHeaders.SET_COOKIE);
    }

    /** A client whose connections come from {@code address}. */
    private WebTestClient from(String address) {
        HttpClient http = HttpClient.create().bindAddress(() -> new InetSocketAddress(address, 0));
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(http))
                .baseUrl("http://127.0.0.1:" + port)
                .build();
    }
}
