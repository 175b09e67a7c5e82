package com.gpudash.saga.container;

import java.util.List;
import java.util.Optional;

import com.gpudash.agent.Route;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.KnownContainer;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerRoom;
import com.gpudash.api.user.UserId;

/**
 * Read models with nothing in them, and every server at 127.0.0.1: for the workers' tests of logic, which override
 * what they need filled.
 */
class NoReadModels implements ContainerReadModels {

    @Override
    public List<ServerRoom> serverRooms() {
        return List.of();
    }

    @Override
    public String serverHost(ServerId serverId) {
        return "127.0.0.1";
    }

    @Override
    public List<Route> routes() {
        return List.of();
    }

    @Override
    public List<KnownContainer> containers() {
        return List.of();
    }

    @Override
    public Optional<UserId> ownerOf(ContainerId containerId) {
        return Optional.empty();
    }
}
