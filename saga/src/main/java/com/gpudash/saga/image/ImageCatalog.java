package com.gpudash.saga.image;

import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerRuntimeException;
import com.gpudash.agent.ImageState;
import com.gpudash.api.image.FetchServerImage;
import com.gpudash.api.image.FetchServerImages;
import com.gpudash.api.image.ImageView;
import com.gpudash.api.image.ServerImages;
import com.gpudash.api.server.ServerId;
import com.gpudash.saga.worker.ServerConnections;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/**
 * Answers what images a server's Docker Engine has now. Images are not event-sourced, so there is no read model
 * to ask: the answer is a call to the server through the container runtime port, and the workers in this module
 * are the only code that makes such calls (the endpoints that list and delete images ask here through the query
 * bus). The caller's thread blocks on the engine; the endpoints ask from threads that may block.
 */
@Component
class ImageCatalog {

    private final ContainerRuntime runtime;
    private final ServerConnections servers;

    ImageCatalog(ContainerRuntime runtime, ServerConnections servers) {
        this.runtime = runtime;
        this.servers = servers;
    }

    /** Newest first. */
    @QueryHandler
    ServerImages images(FetchServerImages query) {
        return asked(query.serverId(), () -> runtime.listImages(servers.docker(query.serverId())).stream()
                .sorted(Comparator.comparing(ImageState::createdAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .map(image -> view(query.serverId(), image))
                .toList());
    }

    @QueryHandler
    ServerImages image(FetchServerImage query) {
        return asked(query.serverId(), () -> runtime.inspectImage(servers.docker(query.serverId()), query.imageId())
                .map(image -> List.of(view(query.serverId(), image)))
                .orElse(List.of()));
    }

    /** An unknown server is refused (NOT_FOUND, from the connections); an engine that does not answer is an answer. */
    private static ServerImages asked(ServerId serverId, Supplier<List<ImageView>> engine) {
        try {
            return new ServerImages(serverId, engine.get(), null);
        } catch (ContainerRuntimeException e) {
            return ServerImages.unanswered(serverId, e.getMessage());
        }
    }

    private static ImageView view(ServerId serverId, ImageState image) {
        return new ImageView(serverId, image.id(), image.tags(), image.sizeBytes(), image.createdAt(), image.containers());
    }
}
