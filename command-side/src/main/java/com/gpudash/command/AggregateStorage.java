package com.gpudash.command;

/**
 * The beans an aggregate's repository uses beside the event store, by the names its {@code @Aggregate} annotation
 * gives them; the application's wiring declares them. Server, User and ContainerAssignment live as long as the
 * lab does and gain events all the while (status changes, profile edits, provisionings), so they are loaded from a
 * snapshot and the events after it, and kept in a cache between commands.
 * <p>
 * A snapshot is the aggregate object serialized as it is: such an aggregate lets Jackson see its fields and carries
 * a {@code @Revision}. Raise the revision whenever its fields change, so that older snapshots are ignored (the
 * stream is replayed instead) rather than read into the new shape with a field missing.
 */
public final class AggregateStorage {

    public static final String SNAPSHOT_TRIGGER = "aggregateSnapshotTrigger";
    public static final String USER_CACHE = "userCache";
    public static final String SERVER_CACHE = "serverCache";
    public static final String CONTAINER_ASSIGNMENT_CACHE = "containerAssignmentCache";

    private AggregateStorage() {
    }
}
