package com.gpudash.api.operation;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.gpudash.api.Ids;

/** Identifies an asynchronous operation ({@code /api/operations/{id}}); the bare UUID string in JSON and URLs. */
public record OperationId(String value) {

    public OperationId {
        value = Ids.canonicalUuid(value, "operation id");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static OperationId of(String value) {
        return new OperationId(value);
    }

    public static OperationId random() {
        return new OperationId(UUID.randomUUID().toString());
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
