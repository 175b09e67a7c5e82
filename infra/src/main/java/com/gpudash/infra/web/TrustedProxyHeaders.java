package com.gpudash.infra.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Believes {@code X-Forwarded-Proto} and {@code X-Forwarded-For} only from the reverse proxies named in
 * {@code gpudash.http.trusted-proxies} (addresses or CIDR blocks, comma-separated; default {@code 127.0.0.1,::1},
 * a proxy on the same host). From such a peer, a request forwarded as https counts as https (so the session cookie
 * is Secure), and its source address is the nearest address in X-Forwarded-For that is not itself a trusted proxy.
 * From any other peer both headers are ignored: anyone can send them. Runs before everything else, so the
 * security chain, the audit metadata and the throttles all see the original scheme and address.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class TrustedProxyHeaders implements WebFilter {

    static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String FORWARDED_FOR = "X-Forwarded-For";
    /** Only IP literals: a host name would be looked up in DNS on every request. */
    private static final Pattern IP_LITERAL = Pattern.compile("^[0-9A-Fa-f:.]+$");

    private final List<Block> trusted;

    public TrustedProxyHeaders(@Value("${gpudash.http.trusted-proxies:127.0.0.1,::1}") String trustedProxies) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : trustedProxies.split(",")) {
            if (!entry.isBlank()) {
                blocks.add(Block.parse(entry.strip()));
            }
        }
        this.trusted = List.copyOf(blocks);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        InetSocketAddress peer = request.getRemoteAddress();
        if (peer == null || peer.getAddress() == null || !trusted(peer.getAddress())) {
            return chain.filter(exchange);
        }
        String proto = first(request.getHeaders().getFirst(FORWARDED_PROTO));
        Optional<InetAddress> client = client(request.getHeaders().get(FORWARDED_FOR));
        boolean https = "https".equalsIgnoreCase(proto) && !"https".equalsIgnoreCase(request.getURI().getScheme());
        if (!https && client.isEmpty()) {
            return chain.filter(exchange);
        }
        ServerHttpRequest.Builder forwarded = request.mutate();
        if (https) {
            URI uri = request.getURI();
            forwarded.uri(UriComponentsBuilder.fromUri(uri).scheme("https")
                    .port(uri.getPort() == 80 ? -1 : uri.getPort()).build(true).toUri());
        }
        client.ifPresent(address -> forwarded.remoteAddress(new InetSocketAddress(address, 0)));
        return chain.filter(exchange.mutate().request(forwarded.build()).build());
    }

    boolean trusted(InetAddress address) {
        return trusted.stream().anyMatch(block -> block.contains(address));
    }

    /** Walking from the proxy back toward the client, the first address that no trusted proxy added. */
    private Optional<InetAddress> client(List<String> forwardedFor) {
        if (forwardedFor == null) {
            return Optional.empty();
        }
        List<String> hops = new ArrayList<>();
        forwardedFor.forEach(header -> {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        });
        InetAddress nearest = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = literal(hops.get(i));
            if (hop.isEmpty()) {
                return Optional.ofNullable(nearest); // garbage beyond here was written by the client
            }
            nearest = hop.get();
            if (!trusted(nearest)) {
                return Optional.of(nearest);
            }
        }
        return Optional.ofNullable(nearest);
    }

    private static String first(String header) {
        if (header == null) {
            return null;
        }
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).strip();
    }

    private static Optional<InetAddress> literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (bare.isEmpty() || !IP_LITERAL.matcher(bare).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(bare));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** An address block: the first {@code prefix} bits of {@code network}. */
    private record Block(byte[] network, int prefix) {

        static Block parse(String entry) {
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            InetAddress network = literal(address).orElseThrow(() -> new IllegalArgumentException(
                    "gpudash.http.trusted-proxies: '" + entry + "' is not an IP address or CIDR block"));
            int bits = network.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("gpudash.http.trusted-proxies: '" + entry
                        + "' has a prefix length outside 0 to " + bits);
            }
            return new Block(network.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (candidate[whole] & mask) == (network[whole] & mask);
        }
    }
}
