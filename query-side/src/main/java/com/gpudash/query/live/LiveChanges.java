package com.gpudash.query.live;

import java.time.Clock;
import java.time.Instant;

import com.gpudash.api.live.FetchLiveChanges;
import com.gpudash.api.live.LiveChange;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.stereotype.Component;

/**
 * Tells the open {@link FetchLiveChanges} subscriptions that a read model row changed. The projections call it
 * after they write; Axon holds the update until the projection's unit of work has committed, so a subscriber
 * that reads the row then sees the new state.
 * <p>
 * The updates stay in this JVM (without Axon Server, subscription-query updates are not distributed): a subscriber
 * hears only of the events the projections of its own node process. A second node would need another source of
 * {@link LiveChange}s (a per-node subscribing processor, or a poll of the read models); the stream reads everything
 * else from the shared database already.
 */
@Component
public class LiveChanges {

    private final QueryUpdateEmitter emitter;
    private final Clock clock;

    LiveChanges(QueryUpdateEmitter emitter, Clock clock) {
        this.emitter = emitter;
        this.clock = clock;
    }

    public void changed(LiveChange change) {
        if (!replaying()) {
            emitter.emit(FetchLiveChanges.class, query -> query.sees(change), change);
        }
    }

    /**
     * Whether the event being handled is an old one that a rebuild replays: nobody hears of those (subscribers
     * refetch after the rebuild rather than hear all history again), so a projection need not look up whom to tell.
     */
    public boolean replaying() {
        return CurrentUnitOfWork.isStarted() && ReplayToken.isReplay(CurrentUnitOfWork.get().getMessage());
    }

    /** Updates are delivered from the moment of subscription; this is that moment. */
    @QueryHandler
    Instant since(FetchLiveChanges query) {
        return clock.instant();
    }
}
