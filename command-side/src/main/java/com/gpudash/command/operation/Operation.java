package com.gpudash.command.operation;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.Map;

import com.gpudash.api.DomainException;
import com.gpudash.api.image.ImageBuildRequested;
import com.gpudash.api.image.ImageDeletionRequested;
import com.gpudash.api.image.RequestImageBuild;
import com.gpudash.api.image.RequestImageDeletion;
import com.gpudash.api.operation.OperationType;
import com.gpudash.api.operation.CompleteOperation;
import com.gpudash.api.operation.FailOperation;
import com.gpudash.api.operation.MarkOperationRunning;
import com.gpudash.api.operation.OperationFailed;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.operation.OperationRunning;
import com.gpudash.api.operation.OperationStarted;
import com.gpudash.api.operation.OperationStatus;
import com.gpudash.api.operation.OperationSucceeded;
import com.gpudash.api.operation.StartOperation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One asynchronous piece of work that reaches a GPU server, as a client follows it at {@code /api/operations/{id}}.
 * Repeating the outcome it already has is a no-op, because the workers that report it may retry; contradicting
 * that outcome is refused, because a finished operation never changes its answer.
 */
@Aggregate
class Operation {

    @AggregateIdentifier
    private OperationId operationId;
    private OperationStatus status;

    Operation() {
        // Axon rebuilds the aggregate from its events, starting from this constructor.
    }

    /** Started by whoever knows of it first (an endpoint or the flow it belongs to); the second start is a no-op. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(StartOperation command) {
        if (operationId != null) {
            return;
        }
        apply(new OperationStarted(command.operationId(), command.type(), command.target(), command.ownerUserId()));
    }

    @CommandHandler
    Operation(RequestImageDeletion command) {
        apply(new OperationStarted(command.operationId(), OperationType.DELETE_IMAGE, Map.of(
                "serverId", command.serverId().value(), "imageId", command.imageId(),
                "force", String.valueOf(command.force())), null));
        apply(new ImageDeletionRequested(command.operationId(), command.serverId(), command.imageId(), command.force()));
    }

    @CommandHandler
    Operation(RequestImageBuild command) {
        apply(new OperationStarted(command.operationId(), OperationType.BUILD_IMAGE, Map.of(
                "serverId", command.serverId().value(), "tag", command.tag()), command.requestedBy().value()));
        apply(new ImageBuildRequested(command.operationId(), command.serverId(), command.tag(), command.dockerfile()));
    }

    @CommandHandler
    void handle(MarkOperationRunning command) {
        if (status == OperationStatus.PENDING) {
            apply(new OperationRunning(operationId));
        }
    }

    @CommandHandler
    void handle(CompleteOperation command) {
        if (status == OperationStatus.SUCCEEDED) {
            return;
        }
        if (status == OperationStatus.FAILED) {
            throw DomainException.conflict("Operation " + operationId + " has FAILED already and cannot succeed");
        }
        apply(new OperationSucceeded(operationId, command.result()));
    }

    @CommandHandler
    void handle(FailOperation command) {
        if (status == OperationStatus.FAILED) {
            return;
        }
        if (status == OperationStatus.SUCCEEDED) {
            throw DomainException.conflict("Operation " + operationId + " has SUCCEEDED already and cannot fail");
        }
        apply(new OperationFailed(operationId, command.error()));
    }

    @EventSourcingHandler
    void on(OperationStarted event) {
        operationId = event.operationId();
        status = OperationStatus.PENDING;
    }

    @EventSourcingHandler
    void on(OperationRunning event) {
        status = OperationStatus.RUNNING;
    }

    @EventSourcingHandler
    void on(OperationSucceeded event) {
        status = OperationStatus.SUCCEEDED;
    }

    @EventSourcingHandler
    void on(OperationFailed event) {
        status = OperationStatus.FAILED;
    }
}
