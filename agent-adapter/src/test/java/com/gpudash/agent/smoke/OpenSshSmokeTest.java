package com.gpudash.agent.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;

import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.keyverifier.RequiredServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The harness reaches the real sshd of the test services with a pinned host key, and a wrong pinned key is
 * refused (Apache SSHD accepts any host key, logging only a warning, unless told otherwise).
 */
@RequiresServices(Service.OPENSSH)
class OpenSshSmokeTest {

    private SshClient client;

    @BeforeEach
    void startClient() {
        client = SshClient.setUpDefaultClient();
        // Apache SSHD does not prefer the key types it trusts: the client must ask for the pinned key type, or a
        // server that offers another type first is refused although it holds the pinned key.
        client.setSignatureFactories(List.of(BuiltinSignatures.ed25519));
    }

    @AfterEach
    void stopClient() {
        client.stop();
    }

    @Test
    void runsACommandWithThePinnedHostKey() throws Exception {
        PublicKey hostKey = PublicKeyEntry.parsePublicKeyEntry(Files.readString(TestServices.sshHostKeyFile()).strip())
                .resolvePublicKey(null, null, null);
        client.setServerKeyVerifier(new RequiredServerKeyVerifier(hostKey));
        client.start();

        assertThat(run("echo", "hello from sshd")).isEqualTo("hello from sshd\n");
    }

    @Test
    void aWrongPinnedHostKeyIsRefused() throws Exception {
        // BouncyCastle's generic "EdDSA" generator refuses to generate before it is told the curve; this names it.
        KeyPair stranger = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        client.setServerKeyVerifier(new RequiredServerKeyVerifier(stranger.getPublic()));
        client.start();

        assertThatThrownBy(() -> run("echo", "must not run")).hasMessageContaining("Server key did not validate");
    }

    private String run(String... command) throws Exception {
        try (ClientSession session = client.connect(TestServices.sshUser(), TestServices.sshHost(), TestServices.sshPort())
                .verify(Duration.ofSeconds(10)).getSession()) {
            new FileKeyPairProvider(TestServices.sshPrivateKey()).loadKeys(session).forEach(session::addPublicKeyIdentity);
            session.auth().verify(Duration.ofSeconds(10));
            try (ChannelExec channel = session.createExecChannel(String.join(" ", command))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                channel.setOut(out);
                channel.open().verify(Duration.ofSeconds(10));
                channel.waitFor(List.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(10));
                assertThat(channel.getExitStatus()).isZero();
                return out.toString();
            }
        }
    }
}
