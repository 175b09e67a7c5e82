package com.gpudash.query.live;

import java.util.Map;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.live.LiveChange;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import com.gpudash.query.container.ContainerViews;
import com.gpudash.query.operation.OperationViews;
import com.gpudash.query.server.ServerViews;
import com.gpudash.query.user.UserViews;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The current state of a changed object, in the contract's shape, read when the stream is ready to send it: a
 * change that waited in a slow reader's buffer goes out as it is now, not as it was.
 */
@Component
public class LiveViews {

    /** An event of the stream: its SSE name ({@code user}, {@code server}, …) and its JSON data. */
    public record LiveEvent(String name, Object data) {
    }

    private final UserViews users;
    private final ServerViews servers;
    private final ContainerViews containers;
    private final OperationViews operations;

    LiveViews(UserViews users, ServerViews servers, ContainerViews containers, OperationViews operations) {
        this.users = users;
        this.servers = servers;
        this.containers = containers;
        this.operations = operations;
    }

    /** Empty when the object is gone, except a server, whose removal is news of its own. */
    public Mono<LiveEvent> current(LiveChange change) {
        return switch (change.kind()) {
            case USER -> users.find(UserId.of(change.id())).map(view -> new LiveEvent("user", view));
            case CONTAINER -> containers.byId(ContainerId.of(change.id())).map(view -> new LiveEvent("container", view));
            case OPERATION -> operations.find(OperationId.of(change.id()))
                    .map(owned -> new LiveEvent("operation", owned.view()));
            case SERVER -> servers.find(ServerId.of(change.id())).map(view -> new LiveEvent("server", (Object) view))
                    .defaultIfEmpty(new LiveEvent("server-removed", Map.of("id", change.id())));
        };
    }
}
