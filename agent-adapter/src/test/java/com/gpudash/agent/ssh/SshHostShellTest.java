package com.gpudash.agent.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.gpudash.agent.HostKeyMismatchException;
import com.gpudash.agent.HostKeyTrust;
import com.gpudash.agent.HostShellException;
import com.gpudash.agent.HostShellUnavailableException;
import com.gpudash.agent.ShellResult;
import com.gpudash.agent.SshTarget;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH adapter against the real OpenSSH of the test services. */
@RequiresServices(Service.OPENSSH)
class SshHostShellTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private SshHostShell shell;
    private SshTarget pinned;
    private String realHostKeyFingerprint;

    @TempDir
    Path files;

    @BeforeEach
    void connect() throws Exception {
        shell = new SshHostShell(SshSettings.withKey(TestServices.sshPrivateKey()));
        pinned = target(new HostKeyTrust.Pinned(Files.readString(TestServices.sshHostKeyFile())));
        realHostKeyFingerprint = KeyUtils.getFingerPrint(PublicKeyEntry
                .parsePublicKeyEntry(Files.readString(TestServices.sshHostKeyFile()).strip())
                .resolvePublicKey(null, null, null));
    }

    @AfterEach
    void close() {
        shell.close();
    }

    @Test
    void everyArgumentArrivesExactlyAsGiven() {
        Path canary = files.resolve("pwned");
        List<String> nasty = List.of(
                "two words", "it's", "\"double\"", "'", "''", "$(touch " + canary + ")", "`touch " + canary + "`",
                "; touch " + canary, "&& touch " + canary, "| cat", "a\nb", "line\r\nbreak", "$HOME", "${PATH}", "*",
                "~", "", "back\\slash", "tab\there", "--", "-n", "%s%d", "ünïcödé €", "!!", "#comment", "> " + canary);
        List<String> command = new ArrayList<>(List.of("printf", "%s\\n"));
        command.addAll(nasty);

        ShellResult result = shell.run(pinned, command, TIMEOUT);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(String.join("\n", nasty) + "\n");
        assertThat(result.stderr()).isEmpty();
        assertThat(canary).doesNotExist();
    }

    @Test
    void reportsExitStatusAndStderrAsAResult() {
        ShellResult failed = shell.run(pinned, List.of("sh", "-c", "echo out; echo oops >&2; exit 3"), TIMEOUT);
        assertThat(failed).isEqualTo(new ShellResult(3, "out\n", "oops\n", false));

        ShellResult missing = shell.run(pinned, List.of("gpudash-no-such-command"), TIMEOUT);
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stderr()).contains("not found");
    }

    @Test
    void keepsOnlyTheFirstBytesOfALongOutput() {
        SshHostShell small = new SshHostShell(new SshSettings(TestServices.sshPrivateKey(), TIMEOUT, 100, 8));
        try {
            ShellResult result = small.run(pinned, List.of("head", "-c", "100000", "/dev/zero"), TIMEOUT);
            assertThat(result.stdout()).hasSize(100);
            assertThat(result.truncated()).isTrue();
            assertThat(result.exitCode()).isZero();
        } finally {
            small.close();
        }
    }

    @Test
    void aCommandThatOutlivesItsTimeoutIsUnavailableNotAwaited() {
        long before = System.nanoTime();
        assertThatThrownBy(() -> shell.run(pinned, List.of("sleep", "30"), Duration.ofSeconds(1)))
                .isInstanceOf(HostShellUnavailableException.class)
                .hasMessageContaining("did not end within");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void reusesOneConnectionPerTargetUntilForgotten() {
        // SSH_CONNECTION names the client's source port: the same port means the same TCP connection.
        String first = connection(pinned);
        assertThat(connection(pinned)).isEqualTo(first);

        shell.forget(pinned);
        assertThat(connection(pinned)).isNotEqualTo(first);
    }

    @Test
    void reconnectsWhenTheKeptConnectionDies() {
        String first = connection(pinned);
        // The shell's parent is sshd's process for this connection: killing it cuts the connection.
        try {
            shell.run(pinned, List.of("sh", "-c", "kill -9 $PPID"), TIMEOUT);
        } catch (HostShellUnavailableException cutOff) {
            // how the cut shows depends on which side notices first
        }

        assertThat(connection(pinned)).isNotBlank().isNotEqualTo(first);
    }

    @Test
    void moreCommandsThanSshdAllowsPerConnectionWaitForAFreeChannel() throws Exception {
        assertThat(twentyAtOnce(shell)).allSatisfy(result -> assertThat(result.exitCode()).isZero());
    }

    /**
     * Configured with more slots than sshd's MaxSessions (10), twelve commands are started at once and sshd refuses
     * channels beyond its ten: those wait for a session to end on the same connection instead of closing it, which
     * would cut off the commands running on it ("ended without an exit status").
     */
    @Test
    void aChannelRefusedBeyondTheServersMaxSessionsIsAskedForAgainOnTheSameConnection() throws Exception {
        try (SshHostShell generous = new SshHostShell(new SshSettings(TestServices.sshPrivateKey(), TIMEOUT,
                1024, 12))) {
            String connection = generous.run(pinned, List.of("printenv", "SSH_CONNECTION"), TIMEOUT).stdout();
            assertThat(twentyAtOnce(generous)).allSatisfy(result -> assertThat(result.exitCode()).isZero());
            assertThat(generous.run(pinned, List.of("printenv", "SSH_CONNECTION"), TIMEOUT).stdout())
                    .as("the same connection throughout").isEqualTo(connection);
        }
    }

    /**
     * Twenty short commands at once on one target, more than sshd's MaxSessions (10) and than our slots (8). Each
     * command is given the whole batch's time: on a busy machine sshd takes seconds to start each one (a session
     * setup and a shell for every command; `sleep 0.3` measured 3 s end to end with the CPUs saturated), so the
     * third wave waited for its slots past the 10 s this test used to give, and failed only on loaded machines.
     */
    private List<ShellResult> twentyAtOnce(SshHostShell through) throws Exception {
        Duration batchLimit = Duration.ofSeconds(60);
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            List<java.util.concurrent.Future<ShellResult>> running = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                running.add(callers.submit(() -> through.run(pinned, List.of("sleep", "0.3"), batchLimit)));
            }
            List<ShellResult> results = new ArrayList<>();
            for (var result : running) {
                results.add(result.get());
            }
            return results;
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void verifiesTheHostAgainstAKnownHostsFile() {
        SshTarget known = target(new HostKeyTrust.KnownHosts(TestServices.sshKnownHosts()));

        assertThat(shell.run(known, List.of("echo", "known"), TIMEOUT).stdout()).isEqualTo("known\n");
    }

    @Test
    void readsHashedKnownHostsEntries() throws Exception {
        // What ssh-keygen -H writes: |1|salt|HMAC-SHA1(salt, "[host]:port"), so the file does not reveal host names.
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        javax.crypto.Mac hmac = javax.crypto.Mac.getInstance("HmacSHA1");
        hmac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = hmac.doFinal(("[" + TestServices.sshHost() + "]:" + TestServices.sshPort()).getBytes(StandardCharsets.US_ASCII));
        Base64.Encoder base64 = Base64.getEncoder();
        Path hashed = files.resolve("known_hosts_hashed");
        Files.writeString(hashed, "|1|" + base64.encodeToString(salt) + "|" + base64.encodeToString(hash) + " "
                + Files.readString(TestServices.sshHostKeyFile()).strip() + "\n");

        assertThat(shell.run(target(new HostKeyTrust.KnownHosts(hashed)), List.of("echo", "hashed"), TIMEOUT).stdout())
                .isEqualTo("hashed\n");
    }

    @Test
    void aWrongPinnedKeyIsAMismatchNamingBothKeys() throws Exception {
        KeyPair stranger = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        SshTarget wrong = target(new HostKeyTrust.Pinned(PublicKeyEntry.toString(stranger.getPublic())));

        assertThatThrownBy(() -> shell.run(wrong, List.of("echo", "must not run"), TIMEOUT))
                .isInstanceOfSatisfying(HostKeyMismatchException.class, mismatch -> {
                    assertThat(mismatch.retriable()).isFalse();
                    assertThat(mismatch.presentedFingerprint()).isEqualTo(realHostKeyFingerprint);
                    assertThat(mismatch.trustedFingerprints()).containsExactly(KeyUtils.getFingerPrint(stranger.getPublic()));
                });
    }

    @Test
    void aPinnedKeyOfAnotherTypeIsAMismatchBecauseOnlyThatTypeIsAskedFor() throws Exception {
        KeyPair ecdsa = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
        SshTarget otherType = target(new HostKeyTrust.Pinned(PublicKeyEntry.toString(ecdsa.getPublic())));

        assertThatThrownBy(() -> shell.run(otherType, List.of("echo", "must not run"), TIMEOUT))
                .isInstanceOfSatisfying(HostKeyMismatchException.class, mismatch -> {
                    assertThat(mismatch.presentedFingerprint()).isNull();
                    assertThat(mismatch.getMessage()).contains("ssh-ed25519");
                });
    }

    @Test
    void aKnownHostsFileWithAnotherKeyOrNoEntryForTheHostIsAMismatch() throws Exception {
        KeyPair stranger = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        Path otherKey = files.resolve("known_hosts_other");
        Files.writeString(otherKey, "[" + TestServices.sshHost() + "]:" + TestServices.sshPort() + " "
                + PublicKeyEntry.toString(stranger.getPublic()) + "\n");
        Path otherHost = files.resolve("known_hosts_other_host");
        Files.writeString(otherHost, "[192.0.2.1]:" + TestServices.sshPort() + " "
                + Files.readString(TestServices.sshHostKeyFile()).strip() + "\n");

        assertThatThrownBy(() -> shell.run(target(new HostKeyTrust.KnownHosts(otherKey)), List.of("true"), TIMEOUT))
                .isInstanceOfSatisfying(HostKeyMismatchException.class,
                        mismatch -> assertThat(mismatch.presentedFingerprint()).isEqualTo(realHostKeyFingerprint));
        assertThatThrownBy(() -> shell.run(target(new HostKeyTrust.KnownHosts(otherHost)), List.of("true"), TIMEOUT))
                .isInstanceOfSatisfying(HostKeyMismatchException.class,
                        mismatch -> assertThat(mismatch.trustedFingerprints()).isEmpty());
    }

    @Test
    void aDeadPortIsUnavailableAndARefusedUserIsPermanent() {
        SshTarget dead = new SshTarget("127.0.0.1", 1, TestServices.sshUser(), pinned.hostKeys());
        assertThatThrownBy(() -> shell.run(dead, List.of("true"), TIMEOUT))
                .isInstanceOfSatisfying(HostShellUnavailableException.class, e -> assertThat(e.retriable()).isTrue());

        SshTarget stranger = new SshTarget(TestServices.sshHost(), TestServices.sshPort(), "nobody", pinned.hostKeys());
        assertThatThrownBy(() -> shell.run(stranger, List.of("true"), TIMEOUT))
                .isInstanceOfSatisfying(HostShellException.class, e -> {
                    assertThat(e).isNotInstanceOf(HostKeyMismatchException.class);
                    assertThat(e.retriable()).isFalse();
                });
    }

    /** Connecting and the key exchange each wait at most the connect timeout; silence is no refusal of the key. */
    @Test
    void aServerThatAcceptsButSaysNothingIsUnavailableWithinTheConnectTimeout() throws Exception {
        Duration connectTimeout = Duration.ofSeconds(1);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                SshHostShell impatient = new SshHostShell(new SshSettings(TestServices.sshPrivateKey(), connectTimeout,
                        1024, 1))) {
            SshTarget mute = new SshTarget("127.0.0.1", silent.getLocalPort(), TestServices.sshUser(), pinned.hostKeys());
            long before = System.nanoTime();
            assertThatThrownBy(() -> impatient.run(mute, List.of("true"), TIMEOUT))
                    .isInstanceOfSatisfying(HostShellUnavailableException.class, e -> assertThat(e.retriable()).isTrue());
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(connectTimeout.multipliedBy(2).plusSeconds(2));
        }
    }

    /** After a failed attempt, calls fail at once until the back-off has passed; then the server is tried again. */
    @Test
    void anUnreachableServerIsNotTriedAgainUntilItsBackOffHasPassed() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                SshHostShell impatient = new SshHostShell(new SshSettings(TestServices.sshPrivateKey(),
                        Duration.ofSeconds(1), 1024, 1))) {
            SshTarget mute = new SshTarget("127.0.0.1", silent.getLocalPort(), TestServices.sshUser(), pinned.hostKeys());
            assertThatThrownBy(() -> impatient.run(mute, List.of("true"), TIMEOUT))
                    .isInstanceOf(HostShellUnavailableException.class)
                    .message().doesNotContain("not tried again");

            assertThatThrownBy(() -> impatient.run(mute, List.of("true"), TIMEOUT))
                    .isInstanceOfSatisfying(HostShellUnavailableException.class, e -> assertThat(e.retriable()).isTrue())
                    .hasMessageContaining("not tried again for 1000 ms");

            Thread.sleep(1_100); // not a poll: the first back-off (1 s) passes
            assertThatThrownBy(() -> impatient.run(mute, List.of("true"), TIMEOUT))
                    .isInstanceOf(HostShellUnavailableException.class)
                    .message().doesNotContain("not tried again");
            assertThatThrownBy(() -> impatient.run(mute, List.of("true"), TIMEOUT))
                    .as("the back-off doubles").hasMessageContaining("not tried again for 2000 ms");
        }
    }

    /** The server's host key registered again: new commands go over a connection made under the new trust. */
    @Test
    void aNewTrustForTheSameLoginReplacesTheConnectionMadeUnderTheOld() {
        SshTarget known = target(new HostKeyTrust.KnownHosts(TestServices.sshKnownHosts()));
        String underPinnedKey = connection(pinned);

        String underKnownHosts = connection(known);

        assertThat(underKnownHosts).isNotEqualTo(underPinnedKey);
        assertThat(shell.connected(known)).isTrue();
        assertThat(shell.connected(pinned)).as("the old trust's connection takes no new command").isFalse();
        assertThat(connection(pinned)).isNotEqualTo(underPinnedKey);
    }

    @Test
    void aStreamedCommandIsSpokenToThroughItsStreamsAndItsSilenceEndsAReadOrWriteInTime() throws Exception {
        try (CommandStreams echo = shell.stream(pinned, List.of("head", "-c", "5"), TIMEOUT)) {
            echo.input().write("hello".getBytes(StandardCharsets.UTF_8));
            echo.input().flush();
            assertThat(new String(echo.output().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(echo.exitStatus(TIMEOUT)).contains(0);
        }

        Duration patience = Duration.ofSeconds(1);
        try (CommandStreams silent = shell.stream(pinned, List.of("sleep", "30"), patience)) {
            long before = System.nanoTime();
            assertThatThrownBy(() -> silent.output().read()).isInstanceOf(java.io.IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(patience.plusSeconds(3));
        }
        // More than sshd's channel window and the pipe hold, to a command that never reads it.
        byte[] tooMuch = new byte[16 * 1024 * 1024];
        try (CommandStreams deaf = shell.stream(pinned, List.of("sleep", "30"), patience)) {
            long before = System.nanoTime();
            assertThatThrownBy(() -> {
                deaf.input().write(tooMuch);
                deaf.input().flush();
            }).isInstanceOf(java.io.IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(patience.plusSeconds(5));
        }
    }

    private String connection(SshTarget target) {
        return shell.run(target, List.of("printenv", "SSH_CONNECTION"), TIMEOUT).stdout();
    }

    private static SshTarget target(HostKeyTrust trust) {
        return new SshTarget(TestServices.sshHost(), TestServices.sshPort(), TestServices.sshUser(), trust);
    }
}
