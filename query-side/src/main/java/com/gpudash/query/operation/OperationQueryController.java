package com.gpudash.query.operation;

import java.time.LocalDateTime;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.api.DomainException;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.operation.OperationStatus;
import com.gpudash.api.operation.OperationType;
import com.gpudash.api.operation.OperationView;
import com.gpudash.api.user.Caller;
import com.gpudash.api.user.Role;
import com.gpudash.query.web.UtcTime;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/operations/{id}}: how an asynchronous piece of work stands, read through R2DBC. */
@RestController
class OperationQueryController {

    private final DatabaseClient database;
    private final ObjectMapper json;

    OperationQueryController(DatabaseClient database, ObjectMapper json) {
        this.database = database;
        this.json = json;
    }

    /** Admins see every operation, anyone else only their own: for them another's id is as unknown as a wrong one. */
    @GetMapping("/api/operations/{id}")
    Mono<OperationView> get(@PathVariable OperationId id, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return database.sql("SELECT id, type, status, target, owner_user_id, started_at, finished_at, result, error"
                        + " FROM operation_view WHERE id = :id")
                .bind("id", id.value())
                .map((row, metadata) -> new Owned(row.get("owner_user_id", String.class), toView(row)))
                .one()
                .filter(owned -> caller.role() == Role.ADMIN || caller.userId().value().equals(owned.ownerUserId()))
                .map(Owned::view)
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("No operation " + id)));
    }

    private record Owned(String ownerUserId, OperationView view) {
    }

    private OperationView toView(Readable row) {
        return new OperationView(OperationId.of(row.get("id", String.class)),
                OperationType.valueOf(row.get("type", String.class)),
                OperationStatus.valueOf(row.get("status", String.class)),
                read(row.get("target", String.class), new TypeReference<Map<String, String>>() { }),
                UtcTime.instant(row.get("started_at", LocalDateTime.class)),
                UtcTime.instant(row.get("finished_at", LocalDateTime.class)),
                read(row.get("result", String.class), new TypeReference<Map<String, Object>>() { }),
                row.get("error", String.class));
    }

    private <T> T read(String column, TypeReference<T> type) {
        try {
            return column == null ? null : json.readValue(column, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the operations read model holds JSON it wrote itself", e);
        }
    }
}
