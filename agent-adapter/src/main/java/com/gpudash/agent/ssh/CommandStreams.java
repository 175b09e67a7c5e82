package com.gpudash.agent.ssh;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;

/**
 * A command started by {@link SshHostShell#stream}: its standard input and output, what it wrote to standard error,
 * and how it ended. Closing it ends the command and frees its command slot.
 */
public final class CommandStreams implements AutoCloseable {

    private final ChannelExec channel;
    private final BoundedOutput errors;
    private final Semaphore slot;
    private final AtomicBoolean closed = new AtomicBoolean();

    CommandStreams(ChannelExec channel, BoundedOutput errors, Semaphore slot) {
        this.channel = channel;
        this.errors = errors;
        this.slot = slot;
    }

    /** The command's standard input; a write that finds no room for longer than the stream's timeout fails. */
    public OutputStream input() {
        return channel.getInvertedIn();
    }

    /** The command's standard output; a read that waits longer than the stream's timeout fails. */
    public InputStream output() {
        return channel.getInvertedOut();
    }

    /** What the command wrote to standard error so far (up to the shell's output limit). */
    public String errors() {
        return errors.text();
    }

    /** The command's exit status once it ended, waiting at most {@code wait} for it; empty when it has not ended. */
    public Optional<Integer> exitStatus(Duration wait) {
        channel.waitFor(EnumSet.of(ClientChannelEvent.EXIT_STATUS, ClientChannelEvent.CLOSED), wait);
        return Optional.ofNullable(channel.getExitStatus());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                channel.close(true);
            } finally {
                slot.release();
            }
        }
    }
}
