package com.gpudash.command.container;

import com.gpudash.api.DomainException;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.StartContainer;
import com.gpudash.api.container.StopContainer;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.user.Caller;
import com.gpudash.api.user.Role;
import com.gpudash.command.web.CommandSender;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A user starts and stops their own container; an admin any. Someone else's container id answers 404 like an
 * unknown one, so ids do not leak. Starting a running container or stopping a stopped one succeeds at once.
 */
@RestController
class ContainerCommandController {

    record Accepted(OperationId operationId) {
    }

    private final CommandSender commands;

    ContainerCommandController(CommandSender commands) {
        this.commands = commands;
    }

    @PostMapping("/api/containers/{id}/start")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Accepted> start(@PathVariable String id, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        OperationId operation = OperationId.random();
        return ownedBy(id, caller).flatMap(container -> commands.send(new StartContainer(container, operation)))
                .thenReturn(new Accepted(operation));
    }

    @PostMapping("/api/containers/{id}/stop")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Accepted> stop(@PathVariable String id, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        OperationId operation = OperationId.random();
        return ownedBy(id, caller).flatMap(container -> commands.send(new StopContainer(container, operation)))
                .thenReturn(new Accepted(operation));
    }

    /** A user's container id is derived from their user id, so ownership needs no lookup. */
    private static Mono<ContainerId> ownedBy(String id, Caller caller) {
        ContainerId container;
        try {
            container = ContainerId.of(id);
        } catch (IllegalArgumentException notAnId) {
            return Mono.error(DomainException.notFound("No container " + id));
        }
        if (caller.role() != Role.ADMIN && !container.equals(ContainerId.forUser(caller.userId()))) {
            return Mono.error(DomainException.notFound("No container " + id));
        }
        return Mono.just(container);
    }
}
