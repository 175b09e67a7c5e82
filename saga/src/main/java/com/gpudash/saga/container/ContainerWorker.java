package com.gpudash.saga.container;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerSpec;
import com.gpudash.agent.ContainerState;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.HostShell;
import com.gpudash.agent.RuntimeConflictException;
import com.gpudash.agent.RuntimeNotFoundException;
import com.gpudash.agent.ShellResult;
import com.gpudash.agent.SshTarget;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.RecordDockerContainerCreated;
import com.gpudash.api.container.RecordDockerContainerRemoved;
import com.gpudash.api.container.RecordDockerContainerStarted;
import com.gpudash.api.container.RecordDockerContainerStopped;
import com.gpudash.api.container.RecordWorkspacePrepared;
import com.gpudash.api.container.step.CreateDockerContainer;
import com.gpudash.api.container.step.PrepareWorkspace;
import com.gpudash.api.container.step.RemoveDockerContainer;
import com.gpudash.api.container.step.StartDockerContainer;
import com.gpudash.api.container.step.StopDockerContainer;
import com.gpudash.api.server.ServerId;
import com.gpudash.saga.worker.AfterCommit;
import com.gpudash.saga.worker.ServerConnections;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The steps on a GPU server: the workspace over SSH, the container through its Docker Engine. Each finds what an
 * earlier try did (the workspace directory, the container by its name and container-id label) and takes it as done.
 */
@Component
class ContainerWorker {

    private final ContainerRuntime runtime;
    private final ObjectProvider<HostShell> shell;
    private final ServerConnections servers;
    private final ContainerSettings settings;
    private final RoutePublisher routes;
    private final StepReporter reporter;
    private final Executor executor;

    ContainerWorker(ContainerRuntime runtime, ObjectProvider<HostShell> shell, ServerConnections servers,
                    ContainerSettings settings, RoutePublisher routes, CommandGateway commands,
                    @Qualifier("workerExecutor") Executor executor) {
        this.runtime = runtime;
        this.shell = shell;
        this.servers = servers;
        this.settings = settings;
        this.routes = routes;
        this.reporter = new StepReporter(commands);
        this.executor = executor;
    }

    @CommandHandler
    void handle(PrepareWorkspace command) {
        AfterCommit.run(executor, () -> reporter.report(command.containerId(), command.operationId(),
                ContainerStep.WORKSPACE, () -> {
                    prepareWorkspace(command.serverId(), command.username(), command.operationId().value());
                    return new RecordWorkspacePrepared(command.containerId(), command.operationId());
                }));
    }

    @CommandHandler
    void handle(CreateDockerContainer command) {
        AfterCommit.run(executor, () -> reporter.report(command.containerId(), command.operationId(),
                ContainerStep.CREATE, () -> {
                    ContainerState created = create(command);
                    return new RecordDockerContainerCreated(command.containerId(), command.operationId(),
                            created.id(), command.containerName(), created.image(),
                            created.cpus() == null ? settings.cpus() : created.cpus(),
                            created.memoryBytes() == null ? settings.memoryBytes() : created.memoryBytes());
                }));
    }

    @CommandHandler
    void handle(StartDockerContainer command) {
        AfterCommit.run(executor, () -> reporter.report(command.containerId(), command.operationId(),
                ContainerStep.START, () -> {
                    int hostPort = start(command.serverId(), command.containerName());
                    return new RecordDockerContainerStarted(command.containerId(), command.operationId(), hostPort);
                }));
    }

    @CommandHandler
    void handle(StopDockerContainer command) {
        AfterCommit.run(executor, () -> reporter.report(command.containerId(), command.operationId(),
                ContainerStep.STOP, () -> {
                    try {
                        runtime.stopContainer(docker(command.serverId()), command.containerName(),
                                settings.stopGracePeriod());
                    } catch (RuntimeNotFoundException gone) {
                        throw StepFailure.permanent("container " + command.containerName() + " does not exist on"
                                + " its server");
                    }
                    return new RecordDockerContainerStopped(command.containerId(), command.operationId());
                }));
    }

    @CommandHandler
    void handle(RemoveDockerContainer command) {
        AfterCommit.run(executor, () -> reporter.report(command.containerId(), command.operationId(),
                ContainerStep.REMOVE, () -> {
                    remove(command.serverId(), command.containerName(), command.containerId());
                    return new RecordDockerContainerRemoved(command.containerId(), command.operationId());
                }));
    }

    /**
     * One remote command that prepares a workspace: copy the template into a staging directory of this try's own,
     * then rename it into place without replacing anything, so a workspace is either absent or complete and one
     * that exists (a user's files) is never touched. {@code cp -a} copies symbolic links as links: nothing outside
     * the template is read through them. Its arguments: the workspace root, the template, the workspace, and the
     * staging prefix of this provisioning.
     * <p>
     * Under load a try whose answer came too late is retried while it may still be running, so tries of one
     * provisioning can overlap or find each other's leftovers: each stages under a name of its own (the remote
     * shell's process id), and every try that ends with the workspace in place, whoever put it there, succeeded.
     * Once the workspace is in place, staging directories of the same provisioning go: leftovers of tries that died,
     * and those of tries still copying, which then find the workspace in place and succeed too. Removing a directory
     * that such a try is still writing into can fail ("Directory not empty"); that changes nothing about the
     * workspace, so the clean-up never decides the answer (CI once saw a try fail that way with the workspace in
     * place).
     */
    private static final String PREPARE_WORKSPACE = """
            [ -e "$3" ] && exit 0
            mkdir -p -- "$1" || exit 1
            staging="$4-$$"
            trap 'rm -rf -- "$staging"' EXIT
            mkdir -- "$staging" && cp -a --no-dereference -- "$2/." "$staging" \
              && mv --no-clobber --no-target-directory -- "$staging" "$3"
            [ -e "$3" ] || exit 1
            rm -rf -- "$4"-* 2>/dev/null
            exit 0
            """;

    private void prepareWorkspace(ServerId serverId, String username, String attempt) {
        SshTarget target = servers.ssh(serverId).orElseThrow(() -> StepFailure.permanent(
                "the server cannot be reached over SSH: SSH_PRIVATE_KEY is not set or the server's host key is unknown"));
        HostShell host = shell.getIfAvailable();
        if (host == null) {
            throw StepFailure.permanent("no SSH key is configured (SSH_PRIVATE_KEY), so workspaces cannot be prepared");
        }
        String stagingPrefix = settings.workspaceRoot() + "/.gpudash-staging-" + username + "-" + attempt;
        ShellResult result = host.run(target, List.of("sh", "-c", PREPARE_WORKSPACE, "prepare-workspace",
                settings.workspaceRoot(), settings.workspaceTemplate(), settings.workspaceOf(username), stagingPrefix),
                settings.commandTimeout());
        if (!result.succeeded()) {
            throw StepFailure.permanent("copying the template %s to the workspace %s failed on the server (exit %d): %s"
                    .formatted(settings.workspaceTemplate(), settings.workspaceOf(username), result.exitCode(),
                            result.stderr().strip()));
        }
    }

    /** The container as its engine describes it after the create, or as an earlier try left it. */
    private ContainerState create(CreateDockerContainer command) {
        DockerEndpoint docker = docker(command.serverId());
        Optional<ContainerState> existing = ours(docker, command.containerName(), command.containerId());
        if (existing.isPresent()) {
            return existing.get();
        }
        ContainerSpec spec = new ContainerSpec(settings.image(), command.containerName(),
                ContainerLabels.of(settings.installationId(), command.containerId(), command.username(),
                        command.operationId()),
                settings.cpus(), settings.memoryBytes(), command.gpuUuids(), settings.workspaceOf(command.username()),
                settings.workspaceMountPath(), settings.servicePort(), settings.publishHostIp());
        try {
            runtime.createContainer(docker, spec);
        } catch (RuntimeConflictException raced) {
            // Another try created it between the look and the create; the look below finds it.
        } catch (RuntimeNotFoundException noImage) {
            throw StepFailure.permanent("image " + settings.image() + " is not on the server: " + noImage.getMessage());
        }
        return ours(docker, command.containerName(), command.containerId()).orElseThrow(() ->
                new StepFailure("container " + command.containerName() + " disappeared right after it was created",
                        true));
    }

    /** The container of that name when it is this user's; a stranger's container of that name is refused. */
    private Optional<ContainerState> ours(DockerEndpoint docker, String name, ContainerId containerId) {
        Optional<ContainerState> existing = runtime.inspectContainer(docker, name);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> claimed = Optional.ofNullable(existing.get().labels().get(ContainerLabels.CONTAINER_ID));
        if (!claimed.equals(Optional.of(containerId.value()))) {
            throw StepFailure.permanent("a container named " + name + " exists on the server and is not this user's"
                    + " (label " + ContainerLabels.CONTAINER_ID + " is " + claimed.orElse("missing") + ")");
        }
        return existing;
    }

    /**
     * Docker may choose another host port each time a container starts, so a route already published for it is
     * pointed at the new port here, before the start is reported.
     */
    private int start(ServerId serverId, String name) {
        DockerEndpoint docker = docker(serverId);
        try {
            runtime.startContainer(docker, name);
        } catch (RuntimeNotFoundException gone) {
            throw StepFailure.permanent("container " + name + " does not exist on its server");
        }
        ContainerState state = runtime.inspectContainer(docker, name).orElseThrow(() ->
                StepFailure.permanent("container " + name + " disappeared right after it was started"));
        int hostPort = state.publishedPorts().stream()
                .filter(port -> port.containerPort() == settings.servicePort())
                .mapToInt(ContainerState.PublishedPort::hostPort)
                .findFirst()
                .orElseThrow(() -> StepFailure.permanent("container " + name + " publishes no port for its service"
                        + " port " + settings.servicePort()));
        String username = state.labels().get(ContainerLabels.USER);
        if (username != null) {
            routes.repoint(username, serverId, hostPort);
        }
        return hostPort;
    }

    private void remove(ServerId serverId, String name, ContainerId containerId) {
        DockerEndpoint docker = docker(serverId);
        Optional<ContainerState> existing = runtime.inspectContainer(docker, name);
        if (existing.isEmpty()) {
            return;
        }
        if (!containerId.value().equals(existing.get().labels().get(ContainerLabels.CONTAINER_ID))) {
            throw StepFailure.permanent("container " + name + " on the server is not this user's; it was left alone");
        }
        try {
            runtime.removeContainer(docker, existing.get().id(), true);
        } catch (RuntimeNotFoundException alreadyGone) {
            // Removed by another try meanwhile.
        }
    }

    private DockerEndpoint docker(ServerId serverId) {
        return servers.docker(serverId);
    }
}
