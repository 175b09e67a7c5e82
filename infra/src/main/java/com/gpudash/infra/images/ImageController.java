package com.gpudash.infra.images;

import java.util.Comparator;
import java.util.List;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerRuntimeException;
import com.gpudash.agent.ImageState;
import com.gpudash.api.DomainException;
import com.gpudash.api.image.ImageView;
import com.gpudash.api.image.RequestImageBuild;
import com.gpudash.api.image.RequestImageDeletion;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.Caller;
import com.gpudash.command.web.CommandSender;
import com.gpudash.saga.worker.ServerConnections;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Docker images across the GPU servers. Listing asks each engine now (images are not event-sourced); deleting
 * and building are operations whose Docker work a worker does after the request is stored.
 */
@RestController
@RequestMapping("/api/admin/docker-images")
class ImageController {

    private static final Logger log = LoggerFactory.getLogger(ImageController.class);
    static final String IMAGE_REFERENCE = "^(sha256:)?[a-f0-9]{12,64}$|^[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$";
    private static final int PARALLEL_SERVERS = 8;

    record BuildRequest(@NotNull ServerId serverId,
                        @NotBlank @Size(max = 255) @Pattern(regexp = "^[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$",
                                message = "must be a Docker image name with an optional :tag, such as lab/tools:1") String tag,
                        @NotBlank @Size(max = 65536) String dockerfile) {
    }

    record Accepted(OperationId operationId) {
    }

    private final ContainerRuntime runtime;
    private final ServerConnections servers;
    private final CommandSender commands;
    private final JdbcTemplate jdbc;

    ImageController(ContainerRuntime runtime, ServerConnections servers, CommandSender commands, JdbcTemplate jdbc) {
        this.runtime = runtime;
        this.servers = servers;
        this.commands = commands;
        this.jdbc = jdbc;
    }

    /** One server's engine that does not answer is left out of the list across servers, and is a 503 on its own. */
    @GetMapping
    Flux<ImageView> list(@RequestParam(required = false) ServerId serverId) {
        if (serverId != null) {
            return blocking(() -> imagesOn(serverId)).flatMapMany(Flux::fromIterable)
                    .onErrorMap(ContainerRuntimeException.class, e -> unavailable(serverId, e));
        }
        return blocking(() -> jdbc.queryForList("SELECT id FROM server_view ORDER BY name", String.class))
                .flatMapMany(Flux::fromIterable)
                .map(ServerId::of)
                .flatMapSequential(id -> blocking(() -> imagesOn(id)).onErrorResume(ContainerRuntimeException.class, e -> {
                    log.info("Images of server {} are left out: {}", id, e.getMessage());
                    return Mono.just(List.of());
                }), PARALLEL_SERVERS)
                .flatMapIterable(images -> images);
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Accepted>> delete(@PathVariable String id, @RequestParam ServerId serverId,
                                          @RequestParam(defaultValue = "false") boolean force) {
        if (!id.matches(IMAGE_REFERENCE)) {
            return Mono.error(DomainException.invalid("'" + id + "' is not an image id or name"));
        }
        OperationId operation = OperationId.random();
        return blocking(() -> {
            ImageState image = runtime.inspectImage(servers.docker(serverId), id)
                    .orElseThrow(() -> DomainException.notFound("No image " + id + " on server " + serverId));
            if (image.containers() > 0 && !force) {
                throw DomainException.conflict("Image " + id + " is used by " + image.containers()
                        + " container(s); delete with force=true to remove it anyway");
            }
            return image;
        }).onErrorMap(ContainerRuntimeException.class, e -> unavailable(serverId, e))
                .then(commands.send(new RequestImageDeletion(operation, serverId, id, force)))
                .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(operation)));
    }

    @PostMapping("/build")
    Mono<ResponseEntity<Accepted>> build(@Valid @RequestBody BuildRequest request,
                                         @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        OperationId operation = OperationId.random();
        return blocking(() -> servers.docker(request.serverId()))
                .then(commands.send(new RequestImageBuild(operation, request.serverId(), request.tag(),
                        request.dockerfile(), caller.userId())))
                .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(operation)));
    }

    private List<ImageView> imagesOn(ServerId serverId) {
        return runtime.listImages(servers.docker(serverId)).stream()
                .sorted(Comparator.comparing(ImageState::createdAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .map(image -> new ImageView(serverId, image.id(), image.tags(), image.sizeBytes(), image.createdAt(),
                        image.containers()))
                .toList();
    }

    private static ResponseStatusException unavailable(ServerId serverId, ContainerRuntimeException e) {
        return new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                "The Docker Engine of server " + serverId + " did not answer: " + e.getMessage());
    }

    /** Docker calls and JDBC block: they run on boundedElastic, never on the event loop, whose few threads serve all. */
    private static <T> Mono<T> blocking(java.util.concurrent.Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }
}
