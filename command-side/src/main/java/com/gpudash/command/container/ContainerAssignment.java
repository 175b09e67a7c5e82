package com.gpudash.command.container;

import static com.gpudash.api.container.ContainerStatus.FAILED;
import static com.gpudash.api.container.ContainerStatus.PROVISIONING;
import static com.gpudash.api.container.ContainerStatus.REMOVING;
import static com.gpudash.api.container.ContainerStatus.REQUESTED;
import static com.gpudash.api.container.ContainerStatus.RUNNING;
import static com.gpudash.api.container.ContainerStatus.STOPPED;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.gpudash.api.DomainException;
import com.gpudash.api.container.AbandonProvisioning;
import com.gpudash.api.container.ContainerAlreadyRunning;
import com.gpudash.api.container.ContainerAlreadyStopped;
import com.gpudash.api.container.ContainerFoundMissing;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerNames;
import com.gpudash.api.container.ContainerOperationFailed;
import com.gpudash.api.container.ContainerPlaced;
import com.gpudash.api.container.ContainerProvisioned;
import com.gpudash.api.container.ContainerRemovalFailed;
import com.gpudash.api.container.ContainerRemovalRequested;
import com.gpudash.api.container.ContainerRemoved;
import com.gpudash.api.container.ContainerRequested;
import com.gpudash.api.container.ContainerStartRequested;
import com.gpudash.api.container.ContainerStarted;
import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.ContainerStatusDrifted;
import com.gpudash.api.container.ContainerStepFailed;
import com.gpudash.api.container.ContainerStopRequested;
import com.gpudash.api.container.DockerContainerCreated;
import com.gpudash.api.container.DockerContainerRemoved;
import com.gpudash.api.container.DockerContainerStarted;
import com.gpudash.api.container.DockerContainerStopped;
import com.gpudash.api.container.FailProvisioning;
import com.gpudash.api.container.FailRemoval;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.container.ProvisioningAbandoned;
import com.gpudash.api.container.ProvisioningFailed;
import com.gpudash.api.container.RecordContainerDrift;
import com.gpudash.api.container.RecordContainerMissing;
import com.gpudash.api.container.RecordContainerPlaced;
import com.gpudash.api.container.RecordDockerContainerCreated;
import com.gpudash.api.container.RecordDockerContainerRemoved;
import com.gpudash.api.container.RecordDockerContainerStarted;
import com.gpudash.api.container.RecordDockerContainerStopped;
import com.gpudash.api.container.RecordRouteActivated;
import com.gpudash.api.container.RecordRouteDeactivated;
import com.gpudash.api.container.RecordStepFailed;
import com.gpudash.api.container.RecordWorkspacePrepared;
import com.gpudash.api.container.RemoveContainer;
import com.gpudash.api.container.RequestContainer;
import com.gpudash.api.container.RouteActivated;
import com.gpudash.api.container.RouteDeactivated;
import com.gpudash.api.container.StartContainer;
import com.gpudash.api.container.StopContainer;
import com.gpudash.api.container.WorkspacePrepared;
import com.gpudash.api.server.ServerId;
import com.gpudash.command.AggregateStorage;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A user's container and the one operation on it that may be in progress (provisioning, start, stop or removal).
 * <p>
 * Workers answer with {@code Record…} commands that name their operation. An answer for another operation, out of
 * order, or after the provisioning was abandoned is refused as a conflict: it is not wanted any more. The same
 * answer twice (a step that was re-sent and ran twice) records nothing the second time.
 * <p>
 * Its four flows (provisioning with its compensation, start and stop, removal, and reconciliation's findings) are
 * one aggregate because they share the container's state machine; split by flow, each of these rules would span
 * aggregates and could be broken between two of their commands:
 * <ul>
 * <li>One operation at a time ({@code status} and {@code operation}): a start, stop or removal needs the
 * provisioning finished and no other operation in flight; a new provisioning needs the last one FAILED; and
 * reconciliation records a container missing or drifted only while no operation is in flight, so that what a
 * start, stop or removal is doing right now is never taken for drift.</li>
 * <li>The server and GPUs the placement took ({@code serverId}, {@code gpuUuids}) are held until a removal gives them
 * back: start, stop and removal act on that server, reconciliation records it missing only from that server, a
 * failed removal (or a container found missing) keeps it, and a new provisioning is refused while it is held.</li>
 * <li>Shared answers: {@code RecordDockerContainerStarted} ends a provisioning's START step and a user's start (and
 * both set {@code hostPort}); {@code RecordRouteDeactivated} and {@code RecordDockerContainerRemoved} answer an
 * abandoned provisioning's compensation and a removal (the removal reads the {@code routePath} the provisioning
 * set); {@code RecordStepFailed} is told apart by the status it arrives in.</li>
 * <li>Drift decides start and stop: a container recorded STOPPED by reconciliation is started by a start, one
 * recorded RUNNING makes a start succeed at once.</li>
 * </ul>
 */
@Aggregate(snapshotTriggerDefinition = AggregateStorage.SNAPSHOT_TRIGGER, cache = AggregateStorage.CONTAINER_ASSIGNMENT_CACHE)
@Revision("1")
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
class ContainerAssignment {

    /** The contract's usernames: they become the Docker container's name, a directory and an nginx location. */
    private static final Pattern USERNAME = Pattern.compile("^[a-z][a-z0-9_-]{2,31}$");
    private static final Set<ContainerStatus> IN_FLIGHT = EnumSet.of(REQUESTED, PROVISIONING);

    @AggregateIdentifier
    private ContainerId containerId;
    private String username;
    private ContainerStatus status;
    /** The operation in progress; null when none is. */
    private OperationId operation;
    private int gpuCount;
    /** The provisioning in progress was given up; only its compensation is recorded now. */
    private boolean abandoned;
    private ServerId serverId;
    private List<String> gpuUuids;
    private boolean workspacePrepared;
    private String dockerContainerId;
    private Integer hostPort;
    private String routePath;
    private boolean routeDeactivated;
    private boolean dockerContainerRemoved;

    ContainerAssignment() {
        // Axon rebuilds the aggregate from its events, starting from this constructor.
    }

    /** The first request creates the aggregate; after a FAILED provisioning the same user may request again. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RequestContainer command) {
        if (status != null && command.operationId().equals(operation)) {
            return;
        }
        if (status != null && status != FAILED) {
            String inProgress = operation == null ? "" : " (operation " + operation + " is in progress)";
            throw DomainException.conflict("Container %s of '%s' is %s; a new provisioning requires status FAILED%s"
                    .formatted(containerId, username, status, inProgress));
        }
        if (serverId != null) {
            throw DomainException.conflict(("Container %s of '%s' failed to be removed and still holds server %s;"
                    + " remove it before a new provisioning").formatted(containerId, username, serverId));
        }
        if (!command.containerId().equals(ContainerId.forUser(command.userId()))) {
            throw DomainException.invalid("Container id " + command.containerId() + " is not the one of user "
                    + command.userId());
        }
        if (command.username() == null || !USERNAME.matcher(command.username()).matches()) {
            throw DomainException.invalid("Username '" + command.username() + "' does not match " + USERNAME);
        }
        if (command.gpuCount() < 0) {
            throw DomainException.invalid("gpuCount must not be negative, got " + command.gpuCount());
        }
        apply(new ContainerRequested(command.containerId(), command.userId(), command.username(),
                command.requestedServerId(), command.gpuCount(), command.operationId()));
    }

    @CommandHandler
    void handle(RecordContainerPlaced command) {
        requireProvisioningAnswer(command.operationId(), ContainerStep.PLACEMENT);
        if (serverId != null) {
            requireSameAnswer(ContainerStep.PLACEMENT, serverId.equals(command.serverId())
                    && gpuUuids.equals(command.gpuUuids()));
            return;
        }
        if (command.gpuUuids().size() != gpuCount) {
            throw DomainException.invalid("Container %s asked for %d GPU(s); the placement reserved %d"
                    .formatted(containerId, gpuCount, command.gpuUuids().size()));
        }
        apply(new ContainerPlaced(containerId, operation, command.serverId(), List.copyOf(command.gpuUuids())));
    }

    @CommandHandler
    void handle(RecordWorkspacePrepared command) {
        requireProvisioningAnswer(command.operationId(), ContainerStep.WORKSPACE);
        if (!workspacePrepared) {
            apply(new WorkspacePrepared(containerId, operation));
        }
    }

    @CommandHandler
    void handle(RecordDockerContainerCreated command) {
        requireProvisioningAnswer(command.operationId(), ContainerStep.CREATE);
        if (dockerContainerId != null) {
            requireSameAnswer(ContainerStep.CREATE, dockerContainerId.equals(command.dockerContainerId()));
            return;
        }
        apply(new DockerContainerCreated(containerId, operation, command.dockerContainerId(),
                command.containerName(), command.image(), command.cpus(), command.memoryBytes()));
    }

    /** Answers both the START step of a provisioning and a user's start of a STOPPED container. */
    @CommandHandler
    void handle(RecordDockerContainerStarted command) {
        if (status == STOPPED && command.operationId().equals(operation)) {
            apply(new ContainerStarted(containerId, operation, command.hostPort()));
            return;
        }
        requireProvisioningAnswer(command.operationId(), ContainerStep.START);
        if (hostPort != null) {
            requireSameAnswer(ContainerStep.START, hostPort == command.hostPort());
            return;
        }
        apply(new DockerContainerStarted(containerId, operation, command.hostPort()));
    }

    /** The route is the last step: once it is active the container is provisioned. */
    @CommandHandler
    void handle(RecordRouteActivated command) {
        requireProvisioningAnswer(command.operationId(), ContainerStep.ROUTE);
        apply(new RouteActivated(containerId, operation, command.routePath(), command.url()));
        apply(new ContainerProvisioned(containerId, operation));
    }

    @CommandHandler
    void handle(RecordStepFailed command) {
        requireOperation(command.operationId(), "a failure of step " + command.step());
        if (IN_FLIGHT.contains(status)) {
            if (abandoned) {
                requireCompensationStep(command.step());
            } else {
                requireNextProvisioningStep(command.step());
            }
            apply(new ContainerStepFailed(containerId, operation, command.step(), command.reason(),
                    command.retriable()));
        } else if (status == REMOVING) {
            requireCompensationStep(command.step());
            apply(new ContainerStepFailed(containerId, operation, command.step(), command.reason(),
                    command.retriable()));
        } else {
            ContainerStep awaited = status == STOPPED ? ContainerStep.START : ContainerStep.STOP;
            if (command.step() != awaited) {
                throw DomainException.conflict("Container %s awaits the answer to step %s, not %s"
                        .formatted(containerId, awaited, command.step()));
            }
            apply(new ContainerOperationFailed(containerId, operation,
                    "Could not " + awaited.description() + ": " + command.reason()));
        }
    }

    /** Sent again by the saga when it saw no answer; the second time records nothing. */
    @CommandHandler
    void handle(AbandonProvisioning command) {
        requireProvisioning(command.operationId(), "abandoning");
        if (!abandoned) {
            apply(new ProvisioningAbandoned(containerId, operation, command.reason()));
        }
    }

    @CommandHandler
    void handle(RecordRouteDeactivated command) {
        requireCompensationAnswer(command.operationId(), ContainerStep.UNROUTE);
        if (!routeDeactivated) {
            apply(new RouteDeactivated(containerId, operation, ContainerNames.routePath(username)));
        }
    }

    /** During a removal this is the last step, so the container is removed with it. */
    @CommandHandler
    void handle(RecordDockerContainerRemoved command) {
        requireCompensationAnswer(command.operationId(), ContainerStep.REMOVE);
        if (dockerContainerRemoved) {
            return;
        }
        apply(new DockerContainerRemoved(containerId, operation, ContainerNames.dockerContainerName(username)));
        if (status == REMOVING) {
            apply(new ContainerRemoved(containerId, operation, serverId));
        }
    }

    @CommandHandler
    void handle(FailProvisioning command) {
        requireProvisioning(command.operationId(), "failing");
        apply(new ProvisioningFailed(containerId, operation, command.reason()));
    }

    @CommandHandler
    void handle(StartContainer command) {
        if (requireLifecycleOperation(command.operationId(), "a start")) {
            return;
        }
        if (status == RUNNING) {
            apply(new ContainerAlreadyRunning(containerId, command.operationId()));
        } else {
            apply(new ContainerStartRequested(containerId, command.operationId(), serverId,
                    ContainerNames.dockerContainerName(username)));
        }
    }

    @CommandHandler
    void handle(StopContainer command) {
        if (requireLifecycleOperation(command.operationId(), "a stop")) {
            return;
        }
        if (status == STOPPED) {
            apply(new ContainerAlreadyStopped(containerId, command.operationId()));
        } else {
            apply(new ContainerStopRequested(containerId, command.operationId(), serverId,
                    ContainerNames.dockerContainerName(username)));
        }
    }

    @CommandHandler
    void handle(RecordDockerContainerStopped command) {
        requireOperation(command.operationId(), "a stopped container");
        requireStatus("recording a stop", EnumSet.of(RUNNING));
        apply(new DockerContainerStopped(containerId, operation));
    }

    /**
     * A container whose provisioning FAILED has nothing left on its server (compensation removed it), so it is
     * removed at once; one whose removal FAILED still has its server, and the removal is tried again.
     */
    @CommandHandler
    void handle(RemoveContainer command) {
        if (status == REMOVING && command.operationId().equals(operation)) {
            return;
        }
        requireStatus("removal", EnumSet.of(RUNNING, STOPPED, FAILED));
        requireNoOperation();
        if (status == FAILED && serverId == null) {
            apply(new ContainerRemoved(containerId, command.operationId(), null));
        } else {
            apply(new ContainerRemovalRequested(containerId, command.operationId(), serverId,
                    ContainerNames.dockerContainerName(username), routePath));
        }
    }

    /** Sent again by the removal saga when it saw no answer; the second time records nothing. */
    @CommandHandler
    void handle(FailRemoval command) {
        if (status == FAILED && serverId != null) {
            return;
        }
        requireStatus("failing a removal", EnumSet.of(REMOVING));
        requireOperation(command.operationId(), "failing a removal");
        apply(new ContainerRemovalFailed(containerId, operation, command.reason()));
    }

    @CommandHandler
    void handle(RecordContainerMissing command) {
        requireStatus("recording it missing", EnumSet.of(RUNNING, STOPPED));
        requireNoOperation();
        if (!command.serverId().equals(serverId)) {
            throw DomainException.conflict("Container %s is on server %s, not %s"
                    .formatted(containerId, serverId, command.serverId()));
        }
        apply(new ContainerFoundMissing(containerId, serverId, command.containerName(),
                "Container %s was not found on its server; remove it, then request a new one"
                        .formatted(command.containerName())));
    }

    @CommandHandler
    void handle(RecordContainerDrift command) {
        requireStatus("recording drift", EnumSet.of(RUNNING, STOPPED));
        requireNoOperation();
        if (command.observed() != RUNNING && command.observed() != STOPPED) {
            throw DomainException.invalid("A container is observed RUNNING or STOPPED, not " + command.observed());
        }
        if (command.observed() != status) {
            apply(new ContainerStatusDrifted(containerId, status, command.observed(), command.dockerState()));
        }
    }

    private void requireStatus(String action, Set<ContainerStatus> allowed) {
        if (!allowed.contains(status)) {
            String statuses = allowed.stream().map(ContainerStatus::name).collect(Collectors.joining(" or "));
            throw DomainException.conflict("Container %s of '%s' is %s; %s requires status %s"
                    .formatted(containerId, username, status, action, statuses));
        }
    }

    private void requireNoOperation() {
        if (operation != null) {
            throw DomainException.conflict("Container %s of '%s' is busy with operation %s"
                    .formatted(containerId, username, operation));
        }
    }

    private void requireOperation(OperationId answered, String answer) {
        if (!answered.equals(operation)) {
            throw DomainException.conflict("Container %s has no operation %s in progress; %s is not wanted"
                    .formatted(containerId, answered, answer));
        }
    }

    private void requireProvisioning(OperationId answered, String action) {
        requireStatus(action, IN_FLIGHT);
        requireOperation(answered, action);
    }

    /** Checks an answer to a provisioning step: its operation, not too late, and in order. */
    private void requireProvisioningAnswer(OperationId answered, ContainerStep step) {
        requireProvisioning(answered, "the answer to step " + step);
        if (abandoned) {
            throw DomainException.conflict("Provisioning of container %s was abandoned; the answer to step %s"
                    .formatted(containerId, step) + " is too late");
        }
        if (step.ordinal() > nextProvisioningStep().ordinal()) {
            throw DomainException.conflict("Container %s awaits the answer to step %s, not %s"
                    .formatted(containerId, nextProvisioningStep(), step));
        }
    }

    private void requireNextProvisioningStep(ContainerStep step) {
        if (step != nextProvisioningStep()) {
            throw DomainException.conflict("Container %s awaits the answer to step %s, not %s"
                    .formatted(containerId, nextProvisioningStep(), step));
        }
    }

    /** Route and container are taken down by an abandoned provisioning's compensation and by a removal. */
    private void requireCompensationAnswer(OperationId answered, ContainerStep step) {
        requireOperation(answered, "the answer to step " + step);
        if (!(status == REMOVING || IN_FLIGHT.contains(status) && abandoned)) {
            throw DomainException.conflict("Container %s is %s and not being taken down; the answer to step %s"
                    .formatted(containerId, status, step) + " is not wanted");
        }
    }

    private void requireCompensationStep(ContainerStep step) {
        if (step != ContainerStep.UNROUTE && step != ContainerStep.REMOVE) {
            throw DomainException.conflict("Container %s is being taken down; a failure of step %s is not wanted"
                    .formatted(containerId, step));
        }
    }

    private void requireSameAnswer(ContainerStep step, boolean same) {
        if (!same) {
            throw DomainException.conflict("Container %s has a different answer to step %s already"
                    .formatted(containerId, step));
        }
    }

    /** @return true when this very operation is in progress already: the command was sent twice */
    private boolean requireLifecycleOperation(OperationId requested, String action) {
        if (requested.equals(operation)) {
            return true;
        }
        requireStatus(action, EnumSet.of(RUNNING, STOPPED));
        requireNoOperation();
        return false;
    }

    private ContainerStep nextProvisioningStep() {
        if (serverId == null) {
            return ContainerStep.PLACEMENT;
        }
        if (!workspacePrepared) {
            return ContainerStep.WORKSPACE;
        }
        if (dockerContainerId == null) {
            return ContainerStep.CREATE;
        }
        return hostPort == null ? ContainerStep.START : ContainerStep.ROUTE;
    }

    @EventSourcingHandler
    void on(ContainerRequested event) {
        containerId = event.containerId();
        username = event.username();
        status = REQUESTED;
        operation = event.operationId();
        gpuCount = event.gpuCount();
        abandoned = false;
        serverId = null;
        gpuUuids = List.of();
        workspacePrepared = false;
        dockerContainerId = null;
        hostPort = null;
        routePath = null;
        routeDeactivated = false;
        dockerContainerRemoved = false;
    }

    @EventSourcingHandler
    void on(ContainerPlaced event) {
        status = PROVISIONING;
        serverId = event.serverId();
        gpuUuids = event.gpuUuids();
    }

    @EventSourcingHandler
    void on(WorkspacePrepared event) {
        workspacePrepared = true;
    }

    @EventSourcingHandler
    void on(DockerContainerCreated event) {
        dockerContainerId = event.dockerContainerId();
    }

    @EventSourcingHandler
    void on(DockerContainerStarted event) {
        hostPort = event.hostPort();
    }

    @EventSourcingHandler
    void on(ContainerStarted event) {
        hostPort = event.hostPort();
        status = RUNNING;
        operation = null;
    }

    @EventSourcingHandler
    void on(RouteActivated event) {
        routePath = event.routePath();
    }

    @EventSourcingHandler
    void on(ContainerProvisioned event) {
        status = RUNNING;
        operation = null;
    }

    @EventSourcingHandler
    void on(ProvisioningAbandoned event) {
        abandoned = true;
    }

    @EventSourcingHandler
    void on(RouteDeactivated event) {
        routeDeactivated = true;
        routePath = null;
    }

    @EventSourcingHandler
    void on(DockerContainerRemoved event) {
        dockerContainerRemoved = true;
        dockerContainerId = null;
        hostPort = null;
    }

    /** Compensation has given back what the provisioning took; nothing of it is left to remember. */
    @EventSourcingHandler
    void on(ProvisioningFailed event) {
        status = FAILED;
        operation = null;
        serverId = null;
        gpuUuids = List.of();
    }

    @EventSourcingHandler
    void on(ContainerStartRequested event) {
        operation = event.operationId();
    }

    @EventSourcingHandler
    void on(ContainerStopRequested event) {
        operation = event.operationId();
    }

    @EventSourcingHandler
    void on(DockerContainerStopped event) {
        status = STOPPED;
        operation = null;
    }

    @EventSourcingHandler
    void on(ContainerOperationFailed event) {
        operation = null;
    }

    @EventSourcingHandler
    void on(ContainerRemovalRequested event) {
        status = REMOVING;
        operation = event.operationId();
        routeDeactivated = false;
        dockerContainerRemoved = false;
    }

    /** The server and its GPUs stay until a removal gives them back. */
    @EventSourcingHandler
    void on(ContainerFoundMissing event) {
        status = FAILED;
    }

    @EventSourcingHandler
    void on(ContainerStatusDrifted event) {
        status = event.to();
    }

    /** The server and its GPUs stay: the container may still be there and using them. */
    @EventSourcingHandler
    void on(ContainerRemovalFailed event) {
        status = FAILED;
        operation = null;
    }

    @EventSourcingHandler
    void on(ContainerRemoved event) {
        status = ContainerStatus.REMOVED;
        operation = null;
    }
}
