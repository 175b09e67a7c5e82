package com.gpudash.agent;

import java.time.Duration;
import java.util.List;

/**
 * A shell on each GPU server. A command is an argument list that the server's POSIX shell receives quoted word by
 * word, so no argument is ever interpreted by it. A connection per server is kept between calls.
 *
 * <p>Failures are {@link HostShellException}s: {@link HostShellUnavailableException} (retry later),
 * {@link HostKeyMismatchException} (audit it; never retried) and the permanent rest. A non-zero exit status is a
 * {@link ShellResult}, not an exception.
 */
public interface HostShell extends AutoCloseable {

    /** Runs {@code command} (program and arguments) and waits at most {@code timeout} for it to end. */
    ShellResult run(SshTarget target, List<String> command, Duration timeout);

    /** Closes the connection kept for this target, if any. */
    void forget(SshTarget target);

    @Override
    void close();
}
