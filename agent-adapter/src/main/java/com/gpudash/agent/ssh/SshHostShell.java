package com.gpudash.agent.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.gpudash.agent.HostKeyMismatchException;
import com.gpudash.agent.HostShell;
import com.gpudash.agent.HostShellException;
import com.gpudash.agent.HostShellUnavailableException;
import com.gpudash.agent.ShellResult;
import com.gpudash.agent.SshTarget;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * {@link HostShell} over the Apache SSHD client: one client, one authenticated session kept per target, one exec
 * channel per command.
 *
 * <p>Each session carries the trust of its own target: its verifier accepts only that target's keys and its key
 * exchange asks only for their types. Nothing from {@code ~/.ssh} (config, keys, known hosts) is read implicitly.
 */
public final class SshHostShell implements HostShell {

    private static final AttributeRepository.AttributeKey<Attempt> ATTEMPT = new AttributeRepository.AttributeKey<>();
    private static final Duration FIRST_BACK_OFF = Duration.ofSeconds(1);
    /** How long a call waits before it asks again for a channel that the server refused. */
    private static final Duration REFUSED_CHANNEL_PAUSE = Duration.ofMillis(50);
    /** How long refusals of channels on one connection are waited out before a fresh connection is made. */
    private static final Duration REFUSED_CHANNEL_WAIT = Duration.ofSeconds(1);
    /** Below the telemetry interval, so that a server back up is seen by the next round. */
    private static final Duration MAX_BACK_OFF = Duration.ofSeconds(10);

    private final SshSettings settings;
    private final SshClient client;
    private final Map<SshTarget, ClientSession> sessions = new ConcurrentHashMap<>();
    private final Map<SshTarget, Object> connecting = new ConcurrentHashMap<>();
    private final Map<SshTarget, Semaphore> commandSlots = new ConcurrentHashMap<>();
    /** Targets whose last connection attempt failed for want of an answer, until when calls fail at once. */
    private final Map<SshTarget, Unreachable> unreachable = new ConcurrentHashMap<>();

    public SshHostShell(SshSettings settings) {
        this.settings = settings;
        KeyIdentityProvider identity = KeyIdentityProvider.wrapKeyPairs(loadKey(settings));
        client = SshClient.setUpDefaultClient();
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(identity);
        // Public keys only; and the client's own signature stays free of the host-key restriction below.
        client.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory(TrustedHostKeys.supportedSignatures())));
        // Replaced in every session by that target's verifier; a session that somehow missed it trusts nothing.
        client.setServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE);
        client.addSessionListener(new PerTargetTrust());
        client.start();
    }

    @Override
    public ShellResult run(SshTarget target, List<String> command, Duration timeout) {
        String commandLine = PosixQuoting.commandLine(command);
        Semaphore slot = commandSlots.computeIfAbsent(target, any -> new Semaphore(settings.maxCommandsPerHost()));
        acquire(slot, target, timeout);
        try {
            return onChannel(target, command.get(0), timeout,
                    session -> execute(target, session, commandLine, command.get(0), timeout));
        } finally {
            slot.release();
        }
    }

    /**
     * Starts {@code command} with its standard input and output left to the caller, who speaks a protocol through
     * them; it holds one of the target's command slots until {@link CommandStreams#close() closed}.
     *
     * @param timeout bounds the wait for a command slot, opening the channel, and every single wait of a read of its
     *     output or a write to its input (silence, not the whole exchange)
     */
    public CommandStreams stream(SshTarget target, List<String> command, Duration timeout) {
        String commandLine = PosixQuoting.commandLine(command);
        Semaphore slot = commandSlots.computeIfAbsent(target, any -> new Semaphore(settings.maxCommandsPerHost()));
        acquire(slot, target, timeout);
        try {
            return onChannel(target, command.get(0), timeout, session -> open(session, commandLine, timeout, slot));
        } catch (RuntimeException e) {
            slot.release();
            throw e;
        }
    }

    /** What runs on a channel of the target's session; {@link ChannelNotOpened} when the channel was not opened. */
    private interface ChannelCall<T> {
        T on(ClientSession session) throws ChannelNotOpened;
    }

    /**
     * Runs {@code call} on the target's session, opening its channel again when that failed, which is safe since
     * nothing ran. A server that answered the open with a refusal is alive: OpenSSH refuses a session beyond
     * MaxSessions while it has not yet freed one that just ended, so the open is asked for again on the same
     * connection for a moment ({@link #REFUSED_CHANNEL_WAIT}); closing the connection would cut off the commands
     * running on it. Refused past that moment (sessions the server keeps for processes of ours that have not ended),
     * the connection is retired: it takes no new command, its commands run to their end, and it is closed once idle;
     * a fresh one serves from then on. A connection that died unnoticed (the server restarted, a firewall dropped
     * it) is replaced. Either replacement happens once per call.
     */
    private <T> T onChannel(SshTarget target, String program, Duration timeout, ChannelCall<T> call) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ClientSession session = session(target);
        boolean replaced = false;
        long refusedSince = 0;
        while (true) {
            try {
                return call.on(session);
            } catch (ChannelNotOpened e) {
                boolean refused = session.isOpen() && refusedByServer(e);
                long now = System.nanoTime();
                if (refused && refusedSince == 0) {
                    refusedSince = now;
                }
                if (refused && now - refusedSince < REFUSED_CHANNEL_WAIT.toNanos()
                        && now + REFUSED_CHANNEL_PAUSE.toNanos() < deadline) {
                    pause(target);
                } else if (!replaced) {
                    if (refused) {
                        sessions.remove(target, session); // retired, not closed: its commands may still run
                    } else {
                        drop(target, session);
                    }
                    session = session(target);
                    replaced = true;
                    refusedSince = 0;
                } else {
                    throw new HostShellUnavailableException(where(target) + ": cannot start " + program + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            }
        }
    }

    /** The server answered the open with a refusal (SSHD wraps it in the exception of the wait for the answer). */
    private static boolean refusedByServer(ChannelNotOpened e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SshChannelOpenException) {
                return true;
            }
        }
        return false;
    }

    private static void pause(SshTarget target) {
        try {
            Thread.sleep(REFUSED_CHANNEL_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostShellUnavailableException(where(target) + ": interrupted while waiting for a channel", e);
        }
    }

    private CommandStreams open(ClientSession session, String commandLine, Duration timeout, Semaphore slot)
            throws ChannelNotOpened {
        BoundedOutput err = new BoundedOutput(settings.maxOutputBytes());
        ChannelExec channel;
        try {
            channel = session.createExecChannel(commandLine);
            // Read when the channel opens: how long one read of its output and one write to its input wait.
            CoreModuleProperties.WINDOW_TIMEOUT.set(channel, timeout);
            CoreModuleProperties.WAIT_FOR_SPACE_TIMEOUT.set(channel, timeout);
            channel.setErr(err);
            channel.open().verify(timeout);
        } catch (IOException e) {
            throw new ChannelNotOpened(e);
        }
        return new CommandStreams(channel, err, slot);
    }

    private ShellResult execute(SshTarget target, ClientSession session, String commandLine, String program,
            Duration timeout) throws ChannelNotOpened {
        BoundedOutput out = new BoundedOutput(settings.maxOutputBytes());
        BoundedOutput err = new BoundedOutput(settings.maxOutputBytes());
        ChannelExec channel;
        try {
            channel = session.createExecChannel(commandLine);
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(timeout);
        } catch (IOException e) {
            throw new ChannelNotOpened(e);
        }
        try (channel) {
            Set<ClientChannelEvent> ended = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (ended.contains(ClientChannelEvent.TIMEOUT)) {
                channel.close(true);
                throw new HostShellUnavailableException(where(target) + ": " + program + " did not end within "
                        + timeout + " (it may still be running there)", null);
            }
            Integer status = channel.getExitStatus();
            if (status == null && channel.getExitSignal() == null) {
                // Neither an exit status nor a killing signal: the server closed the channel without running it
                // to an end, as OpenSSH does beyond MaxSessions.
                throw new HostShellUnavailableException(where(target) + ": " + program
                        + " ended without an exit status; stderr: " + err.text().strip(), null);
            }
            return new ShellResult(status == null ? -1 : status, out.text(), err.text(), out.truncated() || err.truncated());
        } catch (IOException e) {
            drop(target, session);
            throw new HostShellUnavailableException(where(target) + ": " + program + " was cut off: " + e.getMessage(), e);
        }
    }

    /**
     * OpenSSH refuses more than MaxSessions (10 by default) channels on one connection, so commands beyond the
     * configured number wait here for a free one instead of failing there.
     */
    private static void acquire(Semaphore slot, SshTarget target, Duration timeout) {
        try {
            if (!slot.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new HostShellUnavailableException(where(target) + ": every command slot stayed busy for " + timeout, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostShellUnavailableException(where(target) + ": interrupted while waiting for a command slot", e);
        }
    }

    /** Closes a session that failed, unless another call has already replaced it. */
    private void drop(SshTarget target, ClientSession session) {
        sessions.remove(target, session);
        session.close(true);
    }

    @Override
    public void forget(SshTarget target) {
        ClientSession session = sessions.remove(target);
        if (session != null) {
            session.close(true);
        }
    }

    @Override
    public void close() {
        sessions.keySet().forEach(this::forget);
        client.stop();
    }

    /**
     * The target's kept session, or a new one. A target that could not be reached is not tried again until its
     * back-off has passed (1 s, doubling with each failure up to {@link #MAX_BACK_OFF}): calls in between fail at
     * once with the last failure, instead of each waiting its connect timeout in turn behind the attempt of the
     * call before. A new session replaces those of the same login made under another trust (the server's host key
     * was registered again): no new command goes to them, and they end once idle. The client closes every session
     * idle for its idle timeout (10 minutes): one left behind so, and one to a server removed or no longer polled.
     */
    private ClientSession session(SshTarget target) {
        ClientSession kept = sessions.get(target);
        if (kept != null && kept.isOpen()) {
            return kept;
        }
        // One connection attempt per target at a time; attempts to other targets do not wait for it.
        synchronized (connecting.computeIfAbsent(target, any -> new Object())) {
            kept = sessions.get(target);
            if (kept != null && kept.isOpen()) {
                return kept;
            }
            Unreachable last = unreachable.get(target);
            long now = System.nanoTime();
            if (last != null && now - last.failedAt() < last.backOff().toNanos()) {
                throw new HostShellUnavailableException(last.failure().getMessage() + " (not tried again for "
                        + last.backOff().toMillis() + " ms after that failure)", last.failure());
            }
            ClientSession fresh;
            try {
                fresh = connect(target);
            } catch (HostShellUnavailableException e) {
                Duration backOff = last == null ? FIRST_BACK_OFF : last.backOff().multipliedBy(2);
                unreachable.put(target, new Unreachable(e, System.nanoTime(),
                        backOff.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : backOff));
                throw e;
            }
            unreachable.remove(target);
            sessions.put(target, fresh);
            // Not closed at once: a command may still run on it, and closing would cut it off.
            sessions.keySet().removeIf(other -> !other.equals(target) && sameLogin(other, target));
            return fresh;
        }
    }

    /** Whether a session to {@code target} is kept open now. */
    boolean connected(SshTarget target) {
        ClientSession kept = sessions.get(target);
        return kept != null && kept.isOpen();
    }

    private static boolean sameLogin(SshTarget one, SshTarget other) {
        return one.host().equals(other.host()) && one.port() == other.port() && one.user().equals(other.user());
    }

    private record Unreachable(HostShellUnavailableException failure, long failedAt, Duration backOff) {
    }

    private ClientSession connect(SshTarget target) {
        Attempt attempt = new Attempt(target, TrustedHostKeys.of(target));
        if (attempt.keys.trusted().isEmpty()) {
            throw new HostKeyMismatchException(target.host(), target.port(), List.of(), null,
                    where(target) + ": no trusted host key is known for it", null);
        }
        ClientSession session = null;
        try {
            session = client.connect(target.user(), target.host(), target.port(),
                    AttributeRepository.ofKeyValuePair(ATTEMPT, attempt), null)
                    .verify(settings.connectTimeout())
                    .getSession();
            session.auth().verify(settings.connectTimeout());
            return session;
        } catch (IOException | RuntimeException e) {
            boolean refusedUs = session != null && session.isOpen();
            if (session != null) {
                session.close(true);
            }
            throw failure(attempt, refusedUs, e);
        }
    }

    private static HostShellException failure(Attempt attempt, boolean refusedUs, Exception e) {
        SshTarget target = attempt.target;
        List<String> trusted = attempt.keys.fingerprints();
        PublicKey presented = attempt.presented;
        if (presented != null && !attempt.keys.accepts(presented)) {
            return new HostKeyMismatchException(target.host(), target.port(), trusted, KeyUtils.getFingerPrint(presented),
                    where(target) + " presented host key " + KeyUtils.getFingerPrint(presented) + ", trusted are " + trusted,
                    e);
        }
        if (attempt.offeredKeyTypes != null) {
            return new HostKeyMismatchException(target.host(), target.port(), trusted, null,
                    where(target) + " offers host keys of types " + attempt.offeredKeyTypes + " only, trusted are "
                            + trusted, e);
        }
        if (refusedUs && !timedOut(e)) {
            return new HostShellException(where(target) + " refused the management key: " + e.getMessage(), e);
        }
        return new HostShellUnavailableException(where(target) + " cannot be reached: " + e.getMessage(), e);
    }

    /** A server that accepted the connection but then said nothing in time has refused no one: it is unavailable. */
    private static boolean timedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String where(SshTarget target) {
        return "SSH " + target.user() + "@" + target.host() + ":" + target.port();
    }

    private static List<KeyPair> loadKey(SshSettings settings) {
        List<KeyPair> keys = new ArrayList<>();
        try {
            new FileKeyPairProvider(settings.privateKey()).loadKeys(null).forEach(keys::add);
        } catch (RuntimeException e) {
            // The provider reads lazily and reports an unreadable file as an unchecked exception.
            throw new IllegalArgumentException("cannot read the SSH private key " + settings.privateKey() + ": " + e.getMessage(), e);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the SSH private key file " + settings.privateKey() + " holds no key");
        }
        return keys;
    }

    /** Opening the channel failed, so the command was never started. */
    private static final class ChannelNotOpened extends Exception {
        ChannelNotOpened(IOException cause) {
            super(cause);
        }
    }

    /** What one connection attempt trusts, and what the server showed, to explain a refusal afterwards. */
    private static final class Attempt implements ServerKeyVerifier {

        final SshTarget target;
        final TrustedHostKeys keys;
        volatile PublicKey presented;
        volatile List<String> offeredKeyTypes;

        Attempt(SshTarget target, TrustedHostKeys keys) {
            this.target = target;
            this.keys = keys;
        }

        @Override
        public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey serverKey) {
            presented = serverKey;
            return keys.accepts(serverKey);
        }
    }

    /** Gives each new session, before its key exchange starts, the verifier and key types of its own target. */
    private static final class PerTargetTrust implements SessionListener {

        @Override
        public void sessionCreated(Session session) {
            ClientSession client = (ClientSession) session;
            Attempt attempt = client.getConnectionContext() == null ? null : client.getConnectionContext().getAttribute(ATTEMPT);
            if (attempt != null) {
                client.setServerKeyVerifier(attempt);
                client.setSignatureFactories(attempt.keys.signatures());
            }
        }

        @Override
        public void sessionNegotiationEnd(Session session, Map<KexProposalOption, String> clientProposal,
                Map<KexProposalOption, String> serverProposal, Map<KexProposalOption, String> negotiated, Throwable reason) {
            Attempt attempt = ((ClientSession) session).getConnectionContext().getAttribute(ATTEMPT);
            String asked = clientProposal.get(KexProposalOption.SERVERKEYS);
            String offered = serverProposal.get(KexProposalOption.SERVERKEYS);
            if (reason != null && attempt != null && asked != null && offered != null
                    && Arrays.stream(asked.split(",")).noneMatch(Set.of(offered.split(","))::contains)) {
                attempt.offeredKeyTypes = List.of(offered.split(","));
            }
        }
    }
}
