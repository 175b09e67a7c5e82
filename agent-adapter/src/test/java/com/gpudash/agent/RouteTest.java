package com.gpudash.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Only strictly valid user names and addresses can become a route, and so reach nginx's config, where text is code. */
class RouteTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc", "alice", "bob_2", "x-ray", "a2345678901234567890123456789012"})
    void acceptsUserNamesOfTheRoutablePattern(String username) {
        assertThatCode(() -> new Route(username, "10.0.0.5", 8080)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "Alice", "1abc", "_abc", "al ice", "al;ice", "../etc", "alice/", "al{ice}",
            "a23456789012345678901234567890123", "alice\n", "al$ice", ""})
    void refusesEveryOtherUserName(String username) {
        assertThatThrownBy(() -> new Route(username, "10.0.0.5", 8080)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.5", "127.0.0.1", "255.255.255.255", "::1", "fd00::12:34", "gpu1", "gpu-1.lab.example.org"})
    void acceptsAddressLiteralsAndStrictHostNames(String host) {
        assertThatCode(() -> new Route("alice", host, 8080)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.5; return 200", "10.0.0.256", "[::1]", "::1]; evil", "host/path", "-gpu", "gpu-",
            "a..b", "10.0.0", "1234", "$host", "gpu 1", "gpu1:8080", "", "gpu1\n", "::ffff:10.0.0.5x", "under_score.example.org"})
    void refusesEveryOtherHost(String host) {
        assertThatThrownBy(() -> new Route("alice", host, 8080)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesPortsOutsideTheTcpRange() {
        assertThatThrownBy(() -> new Route("alice", "10.0.0.5", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route("alice", "10.0.0.5", 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Route("alice", "10.0.0.5", 65535).path()).isEqualTo("/alice/");
    }
}
