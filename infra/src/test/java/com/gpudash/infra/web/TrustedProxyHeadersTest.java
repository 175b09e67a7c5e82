package com.gpudash.infra.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class TrustedProxyHeadersTest {

    private final TrustedProxyHeaders filter = new TrustedProxyHeaders("10.0.0.0/8, 192.168.1.7, ::1");

    @Test
    void aTrustedProxyNamesTheSchemeAndTheNearestUntrustedAddress() {
        ServerHttpRequest seen = pass(from("10.1.2.3")
                .header(TrustedProxyHeaders.FORWARDED_PROTO, "https")
                .header(TrustedProxyHeaders.FORWARDED_FOR, "6.6.6.6, 203.0.113.9, 192.168.1.7"));
        assertThat(seen.getURI().getScheme()).isEqualTo("https");
        assertThat(seen.getRemoteAddress().getAddress().getHostAddress())
                .as("the client's own claim (6.6.6.6) lies beyond the first untrusted hop").isEqualTo("203.0.113.9");
    }

    @Test
    void anUntrustedPeerIsTakenAsItIs() {
        ServerHttpRequest seen = pass(from("192.168.1.8")
                .header(TrustedProxyHeaders.FORWARDED_PROTO, "https")
                .header(TrustedProxyHeaders.FORWARDED_FOR, "203.0.113.9"));
        assertThat(seen.getURI().getScheme()).isEqualTo("http");
        assertThat(seen.getRemoteAddress().getAddress().getHostAddress()).isEqualTo("192.168.1.8");
    }

    @Test
    void aForwardedForThatIsNotAnAddressIsIgnored() {
        ServerHttpRequest seen = pass(from("10.1.2.3").header(TrustedProxyHeaders.FORWARDED_FOR, "evil.example"));
        assertThat(seen.getRemoteAddress().getAddress().getHostAddress()).isEqualTo("10.1.2.3");
    }

    @Test
    void blocksAreMatchedBitByBit() {
        TrustedProxyHeaders narrow = new TrustedProxyHeaders("172.16.0.0/12");
        assertThat(narrow.trusted(address("172.31.255.255"))).isTrue();
        assertThat(narrow.trusted(address("172.32.0.0"))).isFalse();
        assertThat(narrow.trusted(address("::1"))).isFalse();
    }

    @Test
    void aSettingThatIsNotAnAddressStopsTheStart() {
        assertThatThrownBy(() -> new TrustedProxyHeaders("proxy.example")).hasMessageContaining("proxy.example");
        assertThatThrownBy(() -> new TrustedProxyHeaders("10.0.0.0/33")).hasMessageContaining("prefix");
    }

    private static java.net.InetAddress address(String literal) {
        return new InetSocketAddress(literal, 0).getAddress();
    }

    private static MockServerHttpRequest.BaseBuilder<?> from(String peer) {
        return MockServerHttpRequest.post("http://app.example:8080/api/login")
                .remoteAddress(new InetSocketAddress(peer, 40000));
    }

    private ServerHttpRequest pass(MockServerHttpRequest.BaseBuilder<?> request) {
        AtomicReference<ServerHttpRequest> seen = new AtomicReference<>();
        filter.filter(MockServerWebExchange.from(request), exchange -> {
            seen.set(exchange.getRequest());
            return Mono.empty();
        }).block();
        return seen.get();
    }
}
