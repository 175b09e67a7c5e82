package com.gpudash.api.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import com.gpudash.api.Ids;

import java.util.Optional;
import java.util.UUID;

/**
 * Identifies a user. In JSON, in URLs and as Axon's aggregate identifier it is the bare UUID string.
 */
public record UserId(String value) {

    public UserId {
        value = Ids.canonicalUuid(value, "user id");
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
