package com.gpudash.saga.container;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.gpudash.agent.Route;
import com.gpudash.agent.RouteTable;
import com.gpudash.api.server.ServerId;
import org.springframework.stereotype.Component;

/**
 * Publishes the whole route table, one change at a time: the routes read model with the change applied.
 * <p>
 * The read model follows the events a moment late, so a change made here just before would be missing from it
 * and the next table would drop it. Changes made here are therefore remembered until the read model shows them.
 */
@Component
class RoutePublisher {

    private final RouteTable table;
    private final ContainerReadModels readModels;
    /** Changes published here that the read model may not show yet: a user's route, or empty once withdrawn. */
    private final Map<String, Optional<Route>> ahead = new HashMap<>();

    RoutePublisher(RouteTable table, ContainerReadModels readModels) {
        this.table = table;
        this.readModels = readModels;
    }

    void publish(Route route) {
        change(route.username(), Optional.of(route));
    }

    void withdraw(String username) {
        change(username, Optional.empty());
    }

    /** Points a published route at the port its container has now; a user without a route keeps none. */
    synchronized void repoint(String username, ServerId serverId, int hostPort) {
        Optional<Route> current = Optional.ofNullable(current().get(username));
        if (current.isPresent() && current.get().upstreamPort() != hostPort) {
            change(username, Optional.of(new Route(username, readModels.serverHost(serverId), hostPort)));
        }
    }

    private synchronized void change(String username, Optional<Route> route) {
        Map<String, Route> routes = current();
        route.ifPresentOrElse(r -> routes.put(username, r), () -> routes.remove(username));
        table.replaceAll(new ArrayList<>(routes.values()));
        ahead.put(username, route);
    }

    private Map<String, Route> current() {
        Map<String, Route> routes = new LinkedHashMap<>();
        readModels.routes().forEach(route -> routes.put(route.username(), route));
        ahead.entrySet().removeIf(change -> Objects.equals(Optional.ofNullable(routes.get(change.getKey())),
                change.getValue()));
        ahead.forEach((username, route) -> route.ifPresentOrElse(r -> routes.put(username, r),
                () -> routes.remove(username)));
        return routes;
    }
}
