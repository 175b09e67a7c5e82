package com.gpudash.saga.container;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerRuntimeException;
import com.gpudash.agent.ContainerState;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.RouteTableException;
import com.gpudash.agent.RuntimeNotFoundException;
import com.gpudash.api.DomainException;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.container.KnownContainer;
import com.gpudash.api.container.RecordContainerDrift;
import com.gpudash.api.container.RecordContainerMissing;
import com.gpudash.api.container.RecordOrphanContainer;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRoom;
import com.gpudash.saga.provisioning.ProvisioningSettings;
import com.gpudash.saga.worker.ServerConnections;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Compares the containers this installation labelled on each server with the containers read model, and records
 * what differs: a container missing from its server, one started or stopped outside the dashboard, and orphans,
 * which it removes. The aggregates have the last word: a finding that an operation in progress explains is
 * refused there and dropped here.
 * <p>
 * A container is an orphan when no user's container accounts for it (unknown, REMOVED, FAILED without a server,
 * or recorded on another server) and it is older than a provisioning may take: a provisioning in flight takes
 * its own containers down when it fails, and the read model may not show a young one yet.
 */
@Component
public class Reconciliation {

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);
    private static final Set<ContainerStatus> SETTLED = EnumSet.of(ContainerStatus.RUNNING, ContainerStatus.STOPPED);

    private final ContainerRuntime runtime;
    private final ServerConnections servers;
    private final ContainerReadModels readModels;
    private final CommandGateway commands;
    private final String installationId;
    private final int servicePort;
    private final Duration orphanAge;
    private final RoutePublisher routes;

    Reconciliation(ContainerRuntime runtime, ServerConnections servers, ContainerReadModels readModels,
                   CommandGateway commands, ContainerSettings settings, ProvisioningSettings provisioning,
                   RoutePublisher routes) {
        this.runtime = runtime;
        this.servers = servers;
        this.readModels = readModels;
        this.commands = commands;
        this.installationId = settings.installationId();
        this.servicePort = settings.servicePort();
        this.orphanAge = provisioning.timeout();
        this.routes = routes;
    }

    /** One pass over every server; a server that cannot be reached is left for the next pass. */
    public void reconcile(Instant now) {
        Map<ContainerId, KnownContainer> known = readModels.containers().stream()
                .collect(Collectors.toMap(KnownContainer::containerId, Function.identity()));
        for (ServerRoom server : readModels.serverRooms()) {
            try {
                reconcile(server.serverId(), known, now);
            } catch (ContainerRuntimeException | DomainException e) {
                log.info("Could not reconcile server {}: {}", server.name(), e.getMessage());
            }
        }
    }

    private void reconcile(ServerId serverId, Map<ContainerId, KnownContainer> known, Instant now) {
        DockerEndpoint docker = servers.docker(serverId);
        List<ContainerState> found = runtime.listContainers(docker, ContainerLabels.ofInstallation(installationId));
        Set<String> claimed = found.stream().map(state -> state.labels().get(ContainerLabels.CONTAINER_ID))
                .collect(Collectors.toSet());
        for (ContainerState container : found) {
            KnownContainer owner = ownerOf(container, known);
            if (owner != null && serverId.equals(owner.serverId())) {
                if (SETTLED.contains(owner.status())) {
                    ContainerStatus observed = container.running() ? ContainerStatus.RUNNING : ContainerStatus.STOPPED;
                    if (observed != owner.status()) {
                        record(new RecordContainerDrift(owner.containerId(), observed, container.status()));
                    }
                    if (container.running()) {
                        followPort(serverId, container);
                    }
                }
            } else if (isOrphan(owner) && container.createdAt().isBefore(now.minus(orphanAge))) {
                removeOrphan(serverId, docker, container);
            }
        }
        known.values().stream()
                .filter(container -> serverId.equals(container.serverId()) && SETTLED.contains(container.status()))
                .filter(container -> !claimed.contains(container.containerId().value()))
                .forEach(missing -> record(new RecordContainerMissing(missing.containerId(), serverId,
                        missing.containerName())));
    }

    /**
     * A container started outside the dashboard may have been given another host port by Docker: its route is
     * pointed at the port it has now (nothing changes when the route already points there or there is none).
     */
    private void followPort(ServerId serverId, ContainerState container) {
        String username = container.labels().get(ContainerLabels.USER);
        container.publishedPorts().stream().filter(port -> port.containerPort() == servicePort).findFirst()
                .ifPresent(port -> {
                    try {
                        routes.repoint(username, serverId, port.hostPort());
                    } catch (RouteTableException | IllegalArgumentException | DomainException e) {
                        log.info("Could not point the route of {} at port {}: {}", username, port.hostPort(),
                                e.getMessage());
                    }
                });
    }

    private static KnownContainer ownerOf(ContainerState container, Map<ContainerId, KnownContainer> known) {
        try {
            String label = container.labels().get(ContainerLabels.CONTAINER_ID);
            return label == null ? null : known.get(ContainerId.of(label));
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    /** Requested and in-flight containers are their sagas' business; a FAILED one with a server awaits removal. */
    private static boolean isOrphan(KnownContainer owner) {
        return owner == null || owner.status() == ContainerStatus.REMOVED
                || owner.status() == ContainerStatus.FAILED && owner.serverId() == null
                || SETTLED.contains(owner.status());
    }

    private void removeOrphan(ServerId serverId, DockerEndpoint docker, ContainerState orphan) {
        String error = null;
        try {
            runtime.removeContainer(docker, orphan.id(), true);
        } catch (RuntimeNotFoundException alreadyGone) {
            return;
        } catch (ContainerRuntimeException e) {
            error = e.getMessage();
        }
        record(new RecordOrphanContainer(serverId, orphan.id(), orphan.name(),
                orphan.labels().get(ContainerLabels.CONTAINER_ID), error));
    }

    private void record(Object finding) {
        try {
            commands.sendAndWait(finding);
        } catch (DomainException explained) {
            log.debug("Finding {} not recorded: {}", finding, explained.getMessage());
        }
    }
}
