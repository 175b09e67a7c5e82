package com.gpudash.query.operation;

import java.time.LocalDateTime;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.operation.OperationStatus;
import com.gpudash.api.operation.OperationType;
import com.gpudash.api.operation.OperationView;
import com.gpudash.api.user.UserId;
import com.gpudash.query.web.UtcTime;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads operations from the operations read model through R2DBC, with the user who started each. */
@Component
public class OperationViews {

    /** @param ownerUserId who started it; null for work nobody started (the application's own) */
    public record OwnedOperation(UserId ownerUserId, OperationView view) {
    }

    private final DatabaseClient database;
    private final ObjectMapper json;

    OperationViews(DatabaseClient database, ObjectMapper json) {
        this.database = database;
        this.json = json;
    }

    public Mono<OwnedOperation> find(OperationId id) {
        return database.sql("SELECT id, type, status, target, owner_user_id, started_at, finished_at, result, error"
                        + " FROM operation_view WHERE id = :id")
                .bind("id", id.value())
                .map((row, metadata) -> {
                    String owner = row.get("owner_user_id", String.class);
                    return new OwnedOperation(owner == null ? null : UserId.of(owner), toView(row));
                })
                .one();
    }

    /** The operations of {@code type} not finished yet (PENDING or RUNNING), oldest first. */
    public Flux<OperationId> unfinished(OperationType type) {
        return database.sql("SELECT id FROM operation_view WHERE type = :type AND status IN ('PENDING', 'RUNNING')"
                        + " ORDER BY started_at")
                .bind("type", type.name())
                .map((row, metadata) -> OperationId.of(row.get("id", String.class)))
                .all();
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
