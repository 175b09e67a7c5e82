package com.gpudash.infra.persistence;

import com.gpudash.command.AggregateStorage;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the long-lived aggregates (see {@link AggregateStorage}) are loaded: a command on one with 100,000 events
 * costs what it costs on one with ten (bench/commands.sh).
 */
@Configuration(proxyBeanMethods = false)
public class AggregateStorageConfiguration {

    /**
     * A snapshot once 50 events were replayed or applied since the last one: loading then reads one snapshot and
     * fewer than 50 events. Axon's snapshotter runs after the command's commit, in a transaction of its own, and
     * stores the snapshot in SnapshotEventEntry (replacing the older one); the snapshot is taken from the events
     * in the store, never from the in-memory aggregate, so it holds only what was committed.
     */
    static final int EVENTS_BETWEEN_SNAPSHOTS = 50;

    @Bean(AggregateStorage.SNAPSHOT_TRIGGER)
    public SnapshotTriggerDefinition aggregateSnapshotTrigger(Snapshotter snapshotter) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, EVENTS_BETWEEN_SNAPSHOTS);
    }

    /*
     * Aggregate caches: a command on an aggregate that the last command left in memory reads nothing from the
     * store. This is safe on one node only. Axon's caching repository updates or evicts an entry in the unit of
     * work that changed it (evicts on rollback) and holds the aggregate's lock meanwhile, so the cached state is
     * always the committed one, provided every event of the aggregate is appended through this node's repository.
     * A second node appending to the same aggregate would leave this node's entry stale: its commands would then
     * decide on old state (a refusal or an answer such as a reservation is not caught by the store's unique
     * sequence key, only a conflicting append is). Before running two nodes, drop these beans (the repositories
     * then load from snapshots alone) or put a distributed cache behind them.
     *
     * Weak references: the heap decides how many aggregates stay cached, never more than it can spare. One
     * cache per aggregate type: an entry is found by the aggregate's id alone.
     */

    @Bean(AggregateStorage.USER_CACHE)
    public Cache userCache() {
        return new WeakReferenceCache();
    }

    @Bean(AggregateStorage.SERVER_CACHE)
    public Cache serverCache() {
        return new WeakReferenceCache();
    }

    @Bean(AggregateStorage.CONTAINER_ASSIGNMENT_CACHE)
    public Cache containerAssignmentCache() {
        return new WeakReferenceCache();
    }
}
