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
 * Publishes the whole route table: the routes read model with the changes applied.
 * <p>
 * The read model follows the events a moment late, so a change made here just before would be missing from it
 * and the next table would drop it. Changes made here are therefore remembered until the read model shows them.
 * <p>
 * Changes asked for while a table is being published wait and go out together in the next one (a group commit):
 * each publication writes the whole file, tests it and reloads nginx, about 0.2 s, and twenty approvals at once
 * otherwise waited for twenty of them one after another. Every change of a publication that fails fails with it.
 */
@Component
class RoutePublisher {

    private final RouteTable table;
    private final ContainerReadModels readModels;
    /**
     * Changes published here that the read model may not show yet: a user's route, or empty once withdrawn.
     * Guarded by {@link #publishing}, as is every publication.
     */
    private final Map<String, Optional<Route>> ahead = new HashMap<>();
    private final Object publishing = new Object();

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
    void repoint(String username, ServerId serverId, int hostPort) {
        Optional<Route> current;
        synchronized (publishing) {
            current = Optional.ofNullable(current().get(username));
        }
        if (current.isPresent() && current.get().upstreamPort() != hostPort) {
            change(username, Optional.of(new Route(username, readModels.serverHost(serverId), hostPort)));
        }
    }

    /** Changes that go out in one publication; done once it was tried, with its failure if it failed. */
    private static final class Batch {
        final Map<String, Optional<Route>> changes = new LinkedHashMap<>();
        boolean done;
        RuntimeException failure;
    }

    /** The batch that changes join until a publication takes it; guarded by {@code this}. */
    private Batch open;

    private void change(String username, Optional<Route> route) {
        Batch batch;
        synchronized (this) {
            if (open == null) {
                open = new Batch();
            }
            batch = open;
            batch.changes.put(username, route);
        }
        synchronized (publishing) {
            if (!batch.done) {
                synchronized (this) {
                    if (open == batch) {
                        open = null; // later changes start the next batch
                    }
                }
                try {
                    Map<String, Route> routes = current();
                    batch.changes.forEach((user, change) -> change.ifPresentOrElse(r -> routes.put(user, r),
                            () -> routes.remove(user)));
                    table.replaceAll(new ArrayList<>(routes.values()));
                    ahead.putAll(batch.changes);
                } catch (RuntimeException e) {
                    batch.failure = e;
                } finally {
                    batch.done = true;
                }
            }
        }
        if (batch.failure != null) {
            throw batch.failure;
        }
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
