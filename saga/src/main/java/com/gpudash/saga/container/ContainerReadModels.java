package com.gpudash.saga.container;

import java.util.List;
import java.util.Optional;

import com.gpudash.agent.Route;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.KnownContainer;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRoom;
import com.gpudash.api.user.UserId;

/** What the container workers read from the read models; the query side answers ({@link QueriedReadModels}). */
public interface ContainerReadModels {

    /** Every registered server with its room for another container. */
    List<ServerRoom> serverRooms();

    /** The address nginx reaches the server at, i.e. its registered host. */
    String serverHost(ServerId serverId);

    /** Every published route, as the routes read model has them. */
    List<Route> routes();

    /** Every user's container the containers read model knows. */
    List<KnownContainer> containers();

    /** The user whose container it is, once the containers read model has it. */
    Optional<UserId> ownerOf(ContainerId containerId);
}
