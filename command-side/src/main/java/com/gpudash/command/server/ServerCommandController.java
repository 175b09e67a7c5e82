package com.gpudash.command.server;

import java.time.Instant;

import com.gpudash.api.cleanup.RequestServerCleanup;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.AddServer;
import com.gpudash.api.server.RemoveServer;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.server.ServerView;
import com.gpudash.command.web.CommandSender;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Adds, removes and cleans up GPU servers. A 2xx is only answered once the event is stored.
 */
@RestController
@RequestMapping("/api/admin/servers")
class ServerCommandController {

    /**
     * What an admin may say about a new server. Every field that reaches a Docker endpoint, an SSH connection or
     * an nginx config is checked for form here: in a generated nginx config any text is code, and {@code nginx -t}
     * is no sandbox.
     */
    @UsableDockerEndpoint
    record AddServerRequest(
            @NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9._-]{0,62}$",
                    message = "must be 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
            String name,
            @NotNull @Size(max = 253) @Pattern(regexp = HOST, message = "must be an IP address or a host name")
            String host,
            @NotNull @Size(max = 512) @Pattern(regexp = DOCKER_ENDPOINT,
                    message = "must be unix:///absolute/path, tcp://host:port or ssh://user@host[:port]")
            String dockerEndpoint,
            @Min(1) @Max(65535) Integer sshPort,
            @Pattern(regexp = "^[a-z_][a-z0-9_-]{0,31}$", message = "must be a POSIX user name") String sshUser,
            @Size(max = 2048) @Pattern(regexp = SSH_PUBLIC_KEY,
                    message = "must be one OpenSSH public key line, such as 'ssh-ed25519 AAAA…'") String sshHostKey,
            @Min(1) @Max(Server.MAX_CONTAINERS_LIMIT) Integer maxContainers) {

        /** How the server is reached, the SSH port and user defaulted. */
        ServerConnection connection() {
            return new ServerConnection(host, dockerEndpoint, sshPort == null ? DEFAULT_SSH_PORT : sshPort,
                    sshUser == null ? DEFAULT_SSH_USER : sshUser, sshHostKey);
        }
    }

    /** Every field may be left out: a cleanup removes stopped containers and dangling images unless told not to. */
    record CleanupRequest(Boolean dryRun, Boolean removeStoppedContainers, Boolean removeDanglingImages) {

        static final CleanupRequest DEFAULTS = new CleanupRequest(null, null, null);
    }

    record Accepted(OperationId operationId) {
    }

    static final String HOST = "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
            + "|^[0-9A-Fa-f:.]+$";
    static final String DOCKER_ENDPOINT = "^unix:///[A-Za-z0-9._/-]+$|^tcp://[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}$"
            + "|^ssh://[a-z_][a-z0-9_-]{0,31}@[A-Za-z0-9.:\\[\\]-]+$";
    static final String SSH_PUBLIC_KEY = "^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( [^\\r\\n]{0,200})?$";

    static final int DEFAULT_SSH_PORT = 22;
    static final String DEFAULT_SSH_USER = "root";
    static final int DEFAULT_MAX_CONTAINERS = 8;

    private final CommandSender commands;

    ServerCommandController(CommandSender commands) {
        this.commands = commands;
    }

    @PostMapping
    Mono<ResponseEntity<ServerView>> add(@Valid @RequestBody AddServerRequest request) {
        ServerId id = ServerId.random();
        ServerConnection connection = request.connection();
        int maxContainers = request.maxContainers() == null ? DEFAULT_MAX_CONTAINERS : request.maxContainers();
        return commands.send(new AddServer(id, request.name(), connection, maxContainers))
                .then(Mono.fromSupplier(() -> ResponseEntity.status(HttpStatus.CREATED).body(new ServerView(id,
                        request.name(), connection.host(), connection.dockerEndpoint(), connection.sshPort(),
                        connection.sshUser(), ServerStatus.UNKNOWN, null, 0, maxContainers, 0, Instant.now()))));
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> remove(@PathVariable ServerId id, @RequestParam(defaultValue = "false") boolean force) {
        return commands.send(new RemoveServer(id, force))
                .then(Mono.just(ResponseEntity.noContent().build()));
    }

    /** 404 for an unknown server, 409 while another cleanup of it runs; the work itself is an operation. */
    @PostMapping("/{id}/cleanup")
    Mono<ResponseEntity<Accepted>> cleanup(@PathVariable ServerId id, @RequestBody(required = false) CleanupRequest body) {
        CleanupRequest request = body == null ? CleanupRequest.DEFAULTS : body;
        OperationId operation = OperationId.random();
        return commands.send(new RequestServerCleanup(id, operation, Boolean.TRUE.equals(request.dryRun()),
                        !Boolean.FALSE.equals(request.removeStoppedContainers()),
                        !Boolean.FALSE.equals(request.removeDanglingImages())))
                .then(Mono.fromSupplier(() -> ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(operation))));
    }
}
