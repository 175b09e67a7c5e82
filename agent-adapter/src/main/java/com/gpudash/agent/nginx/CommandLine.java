package com.gpudash.agent.nginx;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a configured command line (such as {@code NGINX_TEST_COMMAND}) into words the way a POSIX shell would,
 * quotes and backslashes included, so that it can be run without a shell. Whatever would make a shell do more than
 * run one program (pipes, lists, redirections, substitutions) is refused rather than passed on as a literal word.
 */
final class CommandLine {

    private static final String SHELL_OPERATORS = "|&;<>()$`";

    private CommandLine() {
    }

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw refused(line, "an unterminated single quote");
                }
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 == line.length()) {
                    throw refused(line, "a trailing backslash");
                }
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (SHELL_OPERATORS.indexOf(c) >= 0) {
                throw refused(line, "'" + c + "', which only a shell understands");
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw refused(line, "no program");
        }
        return List.copyOf(words);
    }

    /** Appends a double-quoted part starting after its opening quote; returns the index of its closing quote. */
    private static int doubleQuoted(String line, int from, StringBuilder word) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '$' || c == '`') {
                throw refused(line, "'" + c + "', which only a shell understands");
            }
            // Inside double quotes a backslash escapes only these; before anything else it is itself.
            if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                c = line.charAt(++i);
            }
            word.append(c);
        }
        throw refused(line, "an unterminated double quote");
    }

    private static IllegalArgumentException refused(String line, String what) {
        return new IllegalArgumentException("the command line [" + line + "] is run without a shell and has " + what);
    }
}
