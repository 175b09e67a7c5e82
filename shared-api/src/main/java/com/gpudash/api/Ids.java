package com.gpudash.api;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** The one spelling every typed id accepts: a canonical UUID in lower case. */
public final class Ids {

    // UUID.fromString also accepts shortened forms such as "1-2-3-4-5"; ids must have exactly one spelling.
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Ids() {
    }

    /**
     * @return the value in lower case, so that an id typed in upper case still names the same aggregate
     * @throws IllegalArgumentException when it is not a UUID
     */
    public static String canonicalUuid(String value, String what) {
        Objects.requireNonNull(value, what);
        String lower = value.toLowerCase(Locale.ROOT);
        if (!CANONICAL_UUID.matcher(lower).matches()) {
            throw new IllegalArgumentException("Not a UUID: " + value);
        }
        return lower;
    }
}
