package com.gpudash.agent.ssh;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns an argument list into one command line for a POSIX shell, which is what an SSH server hands the line to.
 * Every word is single-quoted: inside single quotes a POSIX shell interprets nothing, so the only character to
 * handle is the single quote itself, written as {@code '\''} (close, escaped quote, reopen).
 */
final class PosixQuoting {

    private PosixQuoting() {
    }

    static String commandLine(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program");
        }
        return words.stream().map(PosixQuoting::quote).collect(Collectors.joining(" "));
    }

    static String quote(String word) {
        if (word.indexOf('\0') >= 0) {
            // No shell word can hold a NUL byte; refusing is the only way not to change the argument.
            throw new IllegalArgumentException("a command argument cannot contain a NUL character");
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
