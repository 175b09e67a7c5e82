package com.gpudash.command.image;

import com.gpudash.api.DomainException;
import com.gpudash.api.image.FetchServerImage;
import com.gpudash.api.image.ImageView;
import com.gpudash.api.image.RequestImageBuild;
import com.gpudash.api.image.RequestImageDeletion;
import com.gpudash.api.image.ServerImages;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.FetchRegisteredServer;
import com.gpudash.api.server.RegisteredServer;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.Caller;
import com.gpudash.command.web.CommandSender;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Deleting and building Docker images: operations whose Docker work a worker does after the request is stored.
 * What the request needs to know first (does the server exist, does its engine have the image, do containers use
 * it) it asks through the query bus: the image of the engine now from the image workers, the server from the query
 * side. The list of images is a read, answered by the query side's endpoint of the same path.
 */
@RestController
@RequestMapping("/api/admin/docker-images")
class ImageCommandController {

    static final String IMAGE_REFERENCE = "^(sha256:)?[a-f0-9]{12,64}$|^[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$";

    record BuildRequest(@NotNull ServerId serverId,
                        @NotBlank @Size(max = 255) @Pattern(regexp = "^[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$",
                                message = "must be a Docker image name with an optional :tag, such as lab/tools:1") String tag,
                        @NotBlank @Size(max = 65536) String dockerfile) {
    }

    record Accepted(OperationId operationId) {
    }

    private final CommandSender commands;
    private final QueryGateway queries;

    ImageCommandController(CommandSender commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Accepted>> delete(@PathVariable String id, @RequestParam ServerId serverId,
                                          @RequestParam(defaultValue = "false") boolean force) {
        if (!id.matches(IMAGE_REFERENCE)) {
            return Mono.error(DomainException.invalid("'" + id + "' is not an image id or name"));
        }
        OperationId operation = OperationId.random();
        return ask(new FetchServerImage(serverId, id), ServerImages.class)
                .map(answer -> {
                    if (!answer.answered()) {
                        throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                                "The Docker Engine of server " + serverId + " did not answer: " + answer.engineProblem());
                    }
                    ImageView image = answer.images().stream().findFirst()
                            .orElseThrow(() -> DomainException.notFound("No image " + id + " on server " + serverId));
                    if (image.containers() > 0 && !force) {
                        throw DomainException.conflict("Image " + id + " is used by " + image.containers()
                                + " container(s); delete with force=true to remove it anyway");
                    }
                    return image;
                })
                .then(commands.send(new RequestImageDeletion(operation, serverId, id, force)))
                .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(operation)));
    }

    /** 404 for a server that is not registered; its engine is not asked until the worker builds. */
    @PostMapping("/build")
    Mono<ResponseEntity<Accepted>> build(@Valid @RequestBody BuildRequest request,
                                         @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        OperationId operation = OperationId.random();
        return ask(new FetchRegisteredServer(request.serverId()), RegisteredServer.class)
                .then(commands.send(new RequestImageBuild(operation, request.serverId(), request.tag(),
                        request.dockerfile(), caller.userId())))
                .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(operation)));
    }

    /**
     * The query bus answers on the asking thread, and the answers block (on an engine, on JDBC): never on the event
     * loop. A refusal (a {@link DomainException}) arrives as the Mono's error.
     */
    private <R> Mono<R> ask(Object query, Class<R> answer) {
        return Mono.defer(() -> Mono.fromFuture(queries.query(query, answer))).subscribeOn(Schedulers.boundedElastic());
    }
}
