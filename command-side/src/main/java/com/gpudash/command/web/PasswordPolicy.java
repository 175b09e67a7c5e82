package com.gpudash.command.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a new password must be, after NIST SP 800-63B: long enough, not one that is commonly used, and not the
 * username inside it. The one place that says so: the {@link Password} constraint and the endpoints that know the
 * username both ask here. A reason never repeats the password.
 */
public final class PasswordPolicy {

    public static final int MIN_BYTES = 8;
    /** bcrypt ignores every byte after the 72nd, so a longer one is refused rather than silently cut. */
    public static final int MAX_BYTES = 72;
    /** A shorter username is a substring of too many good passwords to tell anything about them. */
    static final int MIN_USERNAME_LENGTH_CHECKED = 3;

    private static final String COMMON_LIST = "common-passwords.txt";
    private static final Set<String> COMMON = load();

    private PasswordPolicy() {
    }

    /** Why {@code password} may not be used, whoever chooses it; empty when it may. */
    public static Optional<String> problem(String password) {
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
            return Optional.of("must be " + MIN_BYTES + " to " + MAX_BYTES + " bytes in UTF-8");
        }
        if (password.isBlank()) {
            return Optional.of("must not be only whitespace");
        }
        String folded = fold(password);
        if (COMMON.contains(folded) || oneCharacterRepeated(folded) || consecutiveRun(folded)) {
            return Optional.of("is too common; choose one that is harder to guess");
        }
        return Optional.empty();
    }

    /** Why {@code password} may not be used by {@code username}; empty when it may. */
    public static Optional<String> problem(String password, String username) {
        Optional<String> common = problem(password);
        if (common.isPresent() || username == null) {
            return common;
        }
        String name = fold(username.strip());
        if (name.length() >= MIN_USERNAME_LENGTH_CHECKED && fold(password).contains(name)) {
            return Optional.of("must not contain the username");
        }
        return Optional.empty();
    }

    private static String fold(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    private static boolean oneCharacterRepeated(String password) {
        int first = password.codePointAt(0);
        return password.codePoints().allMatch(c -> c == first);
    }

    /**
     * 12345678, 98765432, abcdefgh, 1234567890123 and the like: each character the next or the one before the last,
     * digits wrapping round as on a keyboard's top row.
     */
    private static boolean consecutiveRun(String password) {
        int[] codePoints = password.codePoints().toArray();
        int step = step(codePoints[0], codePoints[1]);
        if (step != 1 && step != -1) {
            return false;
        }
        for (int i = 2; i < codePoints.length; i++) {
            if (step(codePoints[i - 1], codePoints[i]) != step) {
                return false;
            }
        }
        return true;
    }

    private static int step(int from, int to) {
        if (Character.isDigit(from) && Character.isDigit(to) && from <= '9' && to <= '9') {
            int forward = Math.floorMod(to - from, 10);
            return forward == 9 ? -1 : forward;
        }
        return to - from;
    }

    private static Set<String> load() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(COMMON_LIST)) {
            if (in == null) {
                throw new IllegalStateException("The list of common passwords is missing: " + COMMON_LIST);
            }
            Set<String> passwords = new HashSet<>();
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(PasswordPolicy::fold)
                    .forEach(passwords::add);
            return Set.copyOf(passwords);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
