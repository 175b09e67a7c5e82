package com.gpudash.query.operation;

import com.gpudash.api.DomainException;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.operation.OperationView;
import com.gpudash.api.user.Caller;
import com.gpudash.api.user.Role;
import com.gpudash.query.web.CatchingUp;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/operations/{id}}: how an asynchronous piece of work stands, read through R2DBC. */
@RestController
class OperationQueryController {

    private final OperationViews operations;
    private final DatabaseClient database;

    OperationQueryController(OperationViews operations, DatabaseClient database) {
        this.operations = operations;
        this.database = database;
    }

    /**
     * Admins see every operation, anyone else only their own: for them another's id is as unknown as a wrong one.
     * A client polls as soon as it has the 202, when the read model may not have the operation yet; an id the
     * event store knows waits for it, an id it does not know is a 404 at once.
     */
    @GetMapping("/api/operations/{id}")
    Mono<OperationView> get(@PathVariable OperationId id, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return operations.find(id)
                .switchIfEmpty(Mono.defer(() -> stored(id).flatMap(stored -> stored
                        ? CatchingUp.read(operations.find(id), "operation " + id)
                        : Mono.empty())))
                .filter(owned -> caller.role() == Role.ADMIN || caller.userId().equals(owned.ownerUserId()))
                .map(OperationViews.OwnedOperation::view)
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("No operation " + id)));
    }

    private Mono<Boolean> stored(OperationId id) {
        return database.sql("SELECT COUNT(*) AS n FROM DomainEventEntry WHERE aggregateIdentifier = :id")
                .bind("id", id.value())
                .map(row -> ((Number) row.get("n")).longValue() > 0)
                .one();
    }
}
