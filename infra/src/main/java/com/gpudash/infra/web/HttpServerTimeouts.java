package com.gpudash.infra.web;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Time limits on what a client sends, so that slow or silent connections cannot pile up: the request line and
 * headers within {@code gpudash.http.header-timeout} of the first byte (or of opening the connection), the body
 * within {@code gpudash.http.body-timeout} of the headers (Reactor Netty's request timeout). A connection idle
 * between requests is closed after {@code server.netty.idle-timeout} (application.yml). None of them limits an
 * answer: an event stream stays open as long as it is read.
 */
@Configuration(proxyBeanMethods = false)
class HttpServerTimeouts {

    @Bean
    NettyServerCustomizer requestTimeouts(@Value("${gpudash.http.header-timeout:10s}") Duration headerTimeout,
                                          @Value("${gpudash.http.body-timeout:30s}") Duration bodyTimeout) {
        return server -> server.requestTimeout(bodyTimeout)
                .doOnChannelInit((observer, channel, remote) -> RequestHeaderTimeout.install(channel.pipeline(),
                        headerTimeout));
    }
}
