package com.gpudash.query.image;

import java.util.List;

import com.gpudash.api.DomainException;
import com.gpudash.api.image.FetchServerImages;
import com.gpudash.api.image.ImageView;
import com.gpudash.api.image.ServerImages;
import com.gpudash.api.server.ServerId;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Docker images across the GPU servers. Images are not event-sourced: each server's engine is asked now, through
 * the query bus, by the image workers that reach the servers; which servers there are comes from the servers read
 * model. Deleting and building are commands, on the command side's endpoints of the same path.
 */
@RestController
@RequestMapping("/api/admin/docker-images")
class ImageQueryController {

    private static final Logger log = LoggerFactory.getLogger(ImageQueryController.class);
    private static final int PARALLEL_SERVERS = 8;

    private final QueryGateway queries;
    private final DatabaseClient database;

    ImageQueryController(QueryGateway queries, DatabaseClient database) {
        this.queries = queries;
        this.database = database;
    }

    /** One server's engine that does not answer is left out of the list across servers, and is a 503 on its own. */
    @GetMapping
    Flux<ImageView> list(@RequestParam(required = false) ServerId serverId) {
        if (serverId != null) {
            return imagesOn(serverId).flatMapIterable(answer -> {
                if (!answer.answered()) {
                    throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                            "The Docker Engine of server " + serverId + " did not answer: " + answer.engineProblem());
                }
                return answer.images();
            });
        }
        return database.sql("SELECT id FROM server_view ORDER BY name")
                .map(row -> ServerId.of(row.get("id", String.class)))
                .all()
                .flatMapSequential(id -> imagesOn(id).map(answer -> {
                    if (!answer.answered()) {
                        log.info("Images of server {} are left out: {}", id, answer.engineProblem());
                    }
                    return answer.images();
                }).onErrorResume(ImageQueryController::removedMeanwhile, e -> Mono.just(List.of())), PARALLEL_SERVERS)
                .flatMapIterable(images -> images);
    }

    /** A server removed after the list of servers was read is no longer asked; it is left out like a silent one. */
    private static boolean removedMeanwhile(Throwable failure) {
        return failure instanceof DomainException refusal && refusal.reason() == DomainException.Reason.NOT_FOUND;
    }

    /** The query bus answers on the asking thread, which blocks on the engine: never on the event loop. */
    private Mono<ServerImages> imagesOn(ServerId serverId) {
        return Mono.defer(() -> Mono.fromFuture(queries.query(new FetchServerImages(serverId), ServerImages.class)))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
