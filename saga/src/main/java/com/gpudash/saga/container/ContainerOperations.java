package com.gpudash.saga.container;

import java.util.Map;

import com.gpudash.api.container.ContainerAlreadyRunning;
import com.gpudash.api.container.ContainerAlreadyStopped;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerOperationFailed;
import com.gpudash.api.container.ContainerPlaced;
import com.gpudash.api.container.ContainerProvisioned;
import com.gpudash.api.container.ContainerRemovalFailed;
import com.gpudash.api.container.ContainerRemovalRequested;
import com.gpudash.api.container.ContainerRemoved;
import com.gpudash.api.container.ContainerRequested;
import com.gpudash.api.container.ContainerStartRequested;
import com.gpudash.api.container.ContainerStarted;
import com.gpudash.api.container.ContainerStopRequested;
import com.gpudash.api.container.DockerContainerStopped;
import com.gpudash.api.container.ProvisioningFailed;
import com.gpudash.api.operation.CompleteOperation;
import com.gpudash.api.operation.FailOperation;
import com.gpudash.api.operation.MarkOperationRunning;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.operation.OperationType;
import com.gpudash.api.operation.StartOperation;
import com.gpudash.api.user.UserId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps the Operation of each container flow (provisioning, start, stop, removal) in step with the container's
 * events, as the image flow's worker does for images: the operation, not a projection of container events, is what
 * {@code /api/operations/{id}} shows. It runs in the subscribing processor {@value #GROUP}, inside the unit of work
 * that records the container's event, so an operation exists as soon as the command that asked for it returns.
 * <p>
 * Why a mirror and not a projection of the container's events. The Operation aggregate adds no rule to a container
 * flow: {@code ContainerAssignment} already allows one operation at a time and refuses an answer for any other, so
 * every outcome mirrored here is final when the container records it. What the mirror buys is that every operation,
 * of every kind, is one stream of {@code Operation…} events that the operations read model, the audit log and a
 * replay read alike, and that some outcomes exist only there:
 * <ul>
 * <li>a container command that is refused stores no container event at all, so the FAILED provisioning or removal
 * that {@code UserContainers} records for it, and the removal of a user who never had a container, can only be
 * stored as Operation events;</li>
 * <li>a start or stop names its owner, which no container event after the request carries (the container id is a
 * one-way hash of the user id); it is looked up here, once, when the operation starts;</li>
 * <li>the event store holds the Operation events of every container flow so far, and the read model must rebuild
 * the same from them.</li>
 * </ul>
 * Projecting the container events instead would take: the operations projection handling the container events
 * listed here, a table of its own from container to owner, the events above for outcomes no container records, and
 * a way to tell an old stream's Operation events from the new ones on replay, so that they are not counted twice.
 */
@Component
@ProcessingGroup(ContainerOperations.GROUP)
class ContainerOperations {

    static final String GROUP = "container-operations";

    private final CommandGateway commands;
    private final ContainerReadModels readModels;

    ContainerOperations(CommandGateway commands, ContainerReadModels readModels) {
        this.commands = commands;
        this.readModels = readModels;
    }

    @EventHandler
    void on(ContainerRequested event) {
        commands.sendAndWait(new StartOperation(event.operationId(), OperationType.PROVISION_CONTAINER,
                Map.of("containerId", event.containerId().value(), "userId", event.userId().value(),
                        "username", event.username()), event.userId().value()));
    }

    @EventHandler
    void on(ContainerPlaced event) {
        commands.sendAndWait(new MarkOperationRunning(event.operationId()));
    }

    @EventHandler
    void on(ContainerProvisioned event) {
        succeed(event.operationId(), event.containerId());
    }

    @EventHandler
    void on(ProvisioningFailed event) {
        commands.sendAndWait(new FailOperation(event.operationId(), event.reason()));
    }

    @EventHandler
    void on(ContainerStartRequested event) {
        start(event.operationId(), OperationType.START_CONTAINER, event.containerId());
        commands.sendAndWait(new MarkOperationRunning(event.operationId()));
    }

    @EventHandler
    void on(ContainerStopRequested event) {
        start(event.operationId(), OperationType.STOP_CONTAINER, event.containerId());
        commands.sendAndWait(new MarkOperationRunning(event.operationId()));
    }

    @EventHandler
    void on(ContainerAlreadyRunning event) {
        start(event.operationId(), OperationType.START_CONTAINER, event.containerId());
        succeed(event.operationId(), event.containerId());
    }

    @EventHandler
    void on(ContainerAlreadyStopped event) {
        start(event.operationId(), OperationType.STOP_CONTAINER, event.containerId());
        succeed(event.operationId(), event.containerId());
    }

    @EventHandler
    void on(ContainerStarted event) {
        succeed(event.operationId(), event.containerId());
    }

    @EventHandler
    void on(DockerContainerStopped event) {
        succeed(event.operationId(), event.containerId());
    }

    @EventHandler
    void on(ContainerOperationFailed event) {
        commands.sendAndWait(new FailOperation(event.operationId(), event.reason()));
    }

    @EventHandler
    void on(ContainerRemovalRequested event) {
        start(event.operationId(), OperationType.REMOVE_USER, event.containerId());
        commands.sendAndWait(new MarkOperationRunning(event.operationId()));
    }

    /** A container whose provisioning had failed is removed at once, without a removal request before. */
    @EventHandler
    void on(ContainerRemoved event) {
        start(event.operationId(), OperationType.REMOVE_USER, event.containerId());
        succeed(event.operationId(), event.containerId());
    }

    @EventHandler
    void on(ContainerRemovalFailed event) {
        commands.sendAndWait(new FailOperation(event.operationId(), event.reason()));
    }

    private void start(OperationId operationId, OperationType type, ContainerId containerId) {
        String owner = readModels.ownerOf(containerId).map(UserId::value).orElse(null);
        commands.sendAndWait(new StartOperation(operationId, type, Map.of("containerId", containerId.value()), owner));
    }

    private void succeed(OperationId operationId, ContainerId containerId) {
        commands.sendAndWait(new CompleteOperation(operationId, Map.of("containerId", containerId.value())));
    }
}
