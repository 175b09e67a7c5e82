package com.gpudash.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DockerEndpointTest {

    private static final Path CERTIFICATES = Path.of("/etc/gpudash/docker/gpu1");
    private static final HostKeyTrust PINNED = new HostKeyTrust.Pinned("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB");

    @Test
    void isAUnixSocketOrATcpHostAndPort() {
        assertThat(DockerEndpoint.of("unix:///var/run/docker.sock").usesTls()).isFalse();
        assertThat(new DockerEndpoint(URI.create("tcp://gpu1.lab:2376"), CERTIFICATES, false, null).usesTls())
                .isTrue();
        assertThatThrownBy(() -> DockerEndpoint.of("http://gpu1.lab:2375")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DockerEndpoint.of("tcp://gpu1.lab")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DockerEndpoint.of("unix://")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DockerEndpoint(URI.create("unix:///var/run/docker.sock"), Path.of("/certs"), false, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Link-local is refused however the endpoint would be spoken to: with TLS, and with plain TCP allowed. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp://169.254.169.254:2375", "tcp://169.254.0.1:2376", "tcp://[fe80::1]:2375",
            "tcp://[febf:ffff::1]:2375", "tcp://[::ffff:169.254.169.254]:2375"})
    void aLinkLocalHostIsAlwaysRefused(String uri) {
        for (DockerEndpoint endpoint : new DockerEndpoint[] {DockerEndpoint.of(uri),
                new DockerEndpoint(URI.create(uri), CERTIFICATES, false, null), new DockerEndpoint(URI.create(uri), null, true, null)}) {
            assertThat(endpoint.refusal()).get().asString().contains("link-local");
        }
    }

    /** A resolver reads these as 169.254.169.254; written so, the address would slip past the link-local rule. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp://2852039166:2375", "tcp://0xa9fea9fe:2375", "tcp://0XA9FEA9FE:2375"})
    void anIpv4AddressNotWrittenAsFourDecimalNumbersIsRefused(String uri) {
        assertThat(new DockerEndpoint(URI.create(uri), null, true, null).refusal()).get().asString()
                .contains("four decimal numbers");
    }

    /** Other spellings of the same address are not even a host to {@link URI}, so they are no endpoint at all. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp://0251.0376.0251.0376:2375", "tcp://169.254.43518:2375", "tcp://169.254.169.254.:2375",
            "tcp://gpu.2852039166:2375"})
    void otherSpellingsOfAnAddressAreNoEndpoint(String uri) {
        assertThatThrownBy(() -> DockerEndpoint.of(uri)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:2375", "tcp://127.1.2.3:2375", "tcp://localhost:2375", "tcp://[::1]:2375",
            "unix:///var/run/docker.sock"})
    void loopbackAndUnixSocketsMayBeUsedWithoutTls(String uri) {
        assertThat(DockerEndpoint.of(uri).refusal()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://192.0.2.10:2375", "tcp://docker.example.org:2375", "tcp://[2001:db8::1]:2375",
            "tcp://0.0.0.0:2375", "tcp://localhost.example.org:2375"})
    void plainTcpToAnyOtherHostIsRefusedUnlessAllowed(String uri) {
        assertThat(DockerEndpoint.of(uri).refusal()).get().asString().contains("refusing plain tcp", "DOCKER_TLS_CERT_DIR");
        assertThat(new DockerEndpoint(URI.create(uri), null, true, null).refusal()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://192.0.2.10:2376", "tcp://gpu1.lab:2376", "tcp://[2001:db8::1]:2376",
            "tcp://4gpu.lab:2376", "tcp://10.0.0.255:2376"})
    void tlsReachesAnyOtherHost(String uri) {
        assertThat(new DockerEndpoint(URI.create(uri), CERTIFICATES, false, null).refusal()).isEmpty();
    }

    @Test
    void anSshEndpointIsSpokenOverTheSshConnectionOfItsUserHostAndPort() {
        assertThat(DockerEndpoint.overSsh("ssh://gpudash@gpu1.lab:2222", PINNED).sshTarget())
                .isEqualTo(new SshTarget("gpu1.lab", 2222, "gpudash", PINNED));
        assertThat(DockerEndpoint.overSsh("ssh://gpudash@gpu1.lab", PINNED).sshTarget().port()).isEqualTo(22);
        assertThat(DockerEndpoint.overSsh("ssh://gpudash@[2001:db8::1]:22", PINNED).sshTarget().host())
                .isEqualTo("2001:db8::1");
        assertThat(DockerEndpoint.overSsh("ssh://gpudash@gpu1.lab", PINNED).usesTls()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh://gpu1.lab", "ssh://gpudash@", "ssh://gpudash@gpu1.lab/var/run/docker.sock",
            "ssh://Root@gpu1.lab", "ssh://gpudash@gpu1.lab:0", "ssh://gpudash@gpu1.lab?x=1", "ssh://gpudash:secret@gpu1.lab"})
    void anSshEndpointNeedsAUserAndAHostAndNothingMore(String uri) {
        assertThatThrownBy(() -> DockerEndpoint.overSsh(uri, PINNED)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anSshEndpointNeedsHostKeysAndNoCertificates() {
        assertThatThrownBy(() -> new DockerEndpoint(URI.create("ssh://gpudash@gpu1.lab"), null, false, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SSH_KNOWN_HOSTS");
        assertThatThrownBy(() -> new DockerEndpoint(URI.create("ssh://gpudash@gpu1.lab"), CERTIFICATES, false, PINNED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DockerEndpoint(URI.create("tcp://gpu1.lab:2376"), CERTIFICATES, false, PINNED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** SSH is authenticated and encrypted, so any host may be reached; link-local and hidden addresses never are. */
    @Test
    void anSshEndpointIsRefusedOnlyForTheAddressesEveryEndpointIsRefusedFor() {
        assertThat(DockerEndpoint.overSsh("ssh://gpudash@192.0.2.10", PINNED).refusal()).isEmpty();
        assertThat(DockerEndpoint.overSsh("ssh://gpudash@gpu1.lab:2222", PINNED).refusal()).isEmpty();
        assertThat(DockerEndpoint.overSsh("ssh://gpudash@169.254.169.254", PINNED).refusal()).get().asString()
                .contains("link-local");
        assertThat(DockerEndpoint.overSsh("ssh://gpudash@[fe80::1]:22", PINNED).refusal()).get().asString()
                .contains("link-local");
        assertThat(DockerEndpoint.overSsh("ssh://gpudash@2852039166", PINNED).refusal()).get().asString()
                .contains("four decimal numbers");
    }
}
