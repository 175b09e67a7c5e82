package com.gpudash.agent;

/**
 * How a command on a server ended.
 *
 * @param exitCode the command's exit status; {@code -1} when it reported none (killed by a signal)
 * @param truncated whether stdout or stderr was longer than the shell keeps and was cut
 */
public record ShellResult(int exitCode, String stdout, String stderr, boolean truncated) {

    public boolean succeeded() {
        return exitCode == 0;
    }
}
