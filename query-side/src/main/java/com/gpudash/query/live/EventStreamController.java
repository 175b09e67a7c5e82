package com.gpudash.query.live;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import com.gpudash.api.live.FetchLiveChanges;
import com.gpudash.api.live.LiveChange;
import com.gpudash.api.user.Caller;
import com.gpudash.api.user.Permission;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /api/events/stream}: the changes of users, servers, containers and operations that the caller may
 * see, as Server-Sent Events, fed by the {@link FetchLiveChanges} subscription query.
 * <p>
 * Events: {@code ready} first ({@code {since}}: changes after that instant follow; read the lists for the state
 * before it); then {@code user}, {@code server}, {@code container} and {@code operation} with the contract's
 * object as it is when sent, {@code server-removed} ({@code {id}}), {@code overflow} (the client fell so far behind
 * that changes were dropped: refetch the lists) and {@code heartbeat} ({@code {at}}) every
 * {@code gpudash.events.heartbeat}. The stream ends with the caller's session and at shutdown. Streams per user
 * and per node are capped (OpenStreams): beyond, 429.
 * <p>
 * Who sees what follows the contract's permissions: holders of manage_users (admins) see every user, container and
 * operation; everyone else only their own user object, container and operations; holders of view_servers (admins,
 * QVPs) also see the servers.
 */
@RestController
class EventStreamController {

    private final QueryGateway queries;
    private final LiveViews views;
    private final OpenStreams streams;
    private final Clock clock;
    private final Duration heartbeat;
    private final int bufferCapacity;

    EventStreamController(QueryGateway queries, LiveViews views, OpenStreams streams, Clock clock,
                          @Value("${gpudash.events.heartbeat:15s}") Duration heartbeat,
                          @Value("${gpudash.events.buffer:1000}") int bufferCapacity) {
        this.queries = queries;
        this.views = views;
        this.streams = streams;
        this.clock = clock;
        this.heartbeat = heartbeat;
        this.bufferCapacity = bufferCapacity;
    }

    @GetMapping(path = "/api/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> stream(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                         ServerHttpResponse response) {
        // A proxy in front (nginx buffers answers by default) would otherwise hold events back until its buffer fills.
        response.getHeaders().set("X-Accel-Buffering", "no");
        Set<Permission> held = Permission.heldBy(caller.role());
        FetchLiveChanges query = new FetchLiveChanges(caller.userId(), held.contains(Permission.MANAGE_USERS),
                held.contains(Permission.VIEW_SERVERS));
        return Flux.defer(() -> {
            Runnable release = streams.admit(caller); // refused before anything is sent: a 429 problem
            SubscriptionQueryResult<Instant, LiveChange> subscription = queries.subscriptionQuery(query,
                    ResponseTypes.instanceOf(Instant.class), ResponseTypes.instanceOf(LiveChange.class));
            PendingChanges pending = new PendingChanges(bufferCapacity, streams::overflowed);
            // The query bus runs the handler, a blocking read, on the subscribing thread: not the event loop.
            Mono<ServerSentEvent<Object>> ready = subscription.initialResult()
                    .subscribeOn(Schedulers.boundedElastic())
                    .map(since -> event("ready", Map.of("since", since)));
            Flux<ServerSentEvent<Object>> changes = pending.drain(subscription.updates())
                    .concatMap(this::toEvent, 1);
            Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(heartbeat)
                    .onBackpressureDrop()
                    .map(tick -> event("heartbeat", Map.of("at", clock.instant())));
            return ready.concatWith(Flux.merge(1, changes, heartbeats))
                    .takeUntilOther(streams.end(caller))
                    .doFinally(signal -> {
                        subscription.close();
                        release.run();
                    });
        });
    }

    private Mono<ServerSentEvent<Object>> toEvent(PendingChanges.Next next) {
        if (next instanceof PendingChanges.Changed changed) {
            return views.current(changed.change()).map(live -> event(live.name(), live.data()));
        }
        return Mono.just(event("overflow", Map.of("detail",
                "Changes were dropped because the stream was read too slowly; read the lists again")));
    }

    private static ServerSentEvent<Object> event(String name, Object data) {
        return ServerSentEvent.builder(data).event(name).build();
    }
}
