package com.gpudash.api.server;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.gpudash.api.Ids;

/** Identifies a GPU server. In JSON, in URLs and as Axon's aggregate identifier it is the bare UUID string. */
public record ServerId(String value) {

    public ServerId {
        value = Ids.canonicalUuid(value, "server id");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ServerId of(String value) {
        return new ServerId(value);
    }

    public static ServerId random() {
        return new ServerId(UUID.randomUUID().toString());
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
