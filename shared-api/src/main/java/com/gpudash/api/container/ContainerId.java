package com.gpudash.api.container;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.gpudash.api.Ids;
import com.gpudash.api.user.UserId;

/**
 * Identifies a user's container (the contract's container object and its aggregate). It is derived from the
 * user's id, so every request for one user reaches the same aggregate, which refuses a second provisioning while
 * one is in flight.
 */
public record ContainerId(String value) {

    public ContainerId {
        value = Ids.canonicalUuid(value, "container id");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ContainerId of(String value) {
        return new ContainerId(value);
    }

    /** A name-based (version 3) UUID: the same user always gets the same container id. */
    public static ContainerId forUser(UserId userId) {
        byte[] name = ("gpudash-container:" + userId.value()).getBytes(StandardCharsets.UTF_8);
        return new ContainerId(UUID.nameUUIDFromBytes(name).toString());
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
