package com.gpudash.saga.container;

import static com.gpudash.api.QueryAnswers.await;

import java.util.List;
import java.util.Optional;

import com.gpudash.agent.Route;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.FetchContainerOwner;
import com.gpudash.api.container.FetchKnownContainers;
import com.gpudash.api.container.FetchPublishedRoutes;
import com.gpudash.api.container.KnownContainer;
import com.gpudash.api.container.PublishedRoute;
import com.gpudash.api.server.FetchRegisteredServer;
import com.gpudash.api.server.RegisteredServer;
import com.gpudash.api.server.FetchServerRooms;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRoom;
import com.gpudash.api.user.UserId;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

/**
 * The workers' questions, asked of the query side, which owns the read models. Workers run on their own threads
 * and block anyway, so they wait for each answer.
 */
@Component
class QueriedReadModels implements ContainerReadModels {

    private final QueryGateway queries;

    QueriedReadModels(QueryGateway queries) {
        this.queries = queries;
    }

    @Override
    public List<ServerRoom> serverRooms() {
        return await(queries.query(new FetchServerRooms(), ResponseTypes.multipleInstancesOf(ServerRoom.class)));
    }

    @Override
    public String serverHost(ServerId serverId) {
        return await(queries.query(new FetchRegisteredServer(serverId), RegisteredServer.class)).connection().host();
    }

    /** A route the proxy must not be given (see {@link Route}) fails the whole list, as it fails the config. */
    @Override
    public List<Route> routes() {
        return await(queries.query(new FetchPublishedRoutes(), ResponseTypes.multipleInstancesOf(PublishedRoute.class)))
                .stream()
                .map(route -> new Route(route.username(), route.upstreamHost(), route.upstreamPort()))
                .toList();
    }

    @Override
    public List<KnownContainer> containers() {
        return await(queries.query(new FetchKnownContainers(), ResponseTypes.multipleInstancesOf(KnownContainer.class)));
    }

    @Override
    public Optional<UserId> ownerOf(ContainerId containerId) {
        return await(queries.query(new FetchContainerOwner(containerId), ResponseTypes.optionalInstanceOf(UserId.class)));
    }
}
