package com.gpudash.api.container;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.gpudash.api.Ids;

/**
 * Identifies one asynchronous operation ({@code GET /api/operations/{id}}). The HTTP layer creates it and
 * answers it with 202; every event of that operation carries it, so the operations read model can follow it.
 */
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
