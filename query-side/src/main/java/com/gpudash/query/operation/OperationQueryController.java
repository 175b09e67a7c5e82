package com.gpudash.query.operation;

import com.gpudash.api.DomainException;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.operation.OperationView;
import com.gpudash.api.user.Caller;
import com.gpudash.api.user.Role;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/operations/{id}}: how an asynchronous piece of work stands, read through R2DBC. */
@RestController
class OperationQueryController {

    private final OperationViews operations;

    OperationQueryController(OperationViews operations) {
        this.operations = operations;
    }

    /**
     * Admins see every operation, anyone else only their own: for them another's id is as unknown as a wrong one.
     * A client polls as soon as it has the 202; the read waits for the projections to apply that write first.
     */
    @GetMapping("/api/operations/{id}")
    Mono<OperationView> get(@PathVariable OperationId id, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return operations.find(id)
                .filter(owned -> caller.role() == Role.ADMIN || caller.userId().equals(owned.ownerUserId()))
                .map(OperationViews.OwnedOperation::view)
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("No operation " + id)));
    }
}
