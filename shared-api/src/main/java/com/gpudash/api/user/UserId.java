package com.gpudash.api.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Identifies a user. In JSON, in URLs and as Axon's aggregate identifier it is the bare UUID string.
 */
public record UserId(String value) {

    // UUID.fromString also accepts shortened forms such as "1-2-3-4-5"; ids must have exactly one spelling.
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public UserId {
        Objects.requireNonNull(value, "user id");
        // Lower case so that an id typed in upper case still names the same aggregate.
        value = value.toLowerCase(Locale.ROOT);
        if (!CANONICAL_UUID.matcher(value).matches()) {
            throw new IllegalArgumentException("Not a UUID: " + value);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static UserId of(String value) {
        return new UserId(value);
    }

    /** For ids that arrive in URLs: empty when the text is not a UUID, so that it can be answered as unknown. */
    public static Optional<UserId> parse(String value) {
        try {
            return Optional.of(new UserId(value));
        } catch (IllegalArgumentException | NullPointerException notAUuid) {
            return Optional.empty();
        }
    }

    public static UserId random() {
        return new UserId(UUID.randomUUID().toString());
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
