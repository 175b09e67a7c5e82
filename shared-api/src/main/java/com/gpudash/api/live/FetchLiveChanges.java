package com.gpudash.api.live;

import com.gpudash.api.user.UserId;

/**
 * The subscription query behind {@code GET /api/events/stream}. Its updates are the {@link LiveChange}s that
 * {@code viewer} may see; its initial answer is the instant from which they are delivered (what changed before is
 * read through the REST lists).
 *
 * @param everyone whether the viewer sees every user's user object, container and operations, not only their own
 * @param servers  whether the viewer sees the servers
 */
public record FetchLiveChanges(UserId viewer, boolean everyone, boolean servers) {

    public boolean sees(LiveChange change) {
        return switch (change.kind()) {
            case SERVER -> servers;
            case USER, CONTAINER, OPERATION -> everyone || viewer.equals(change.ownerUserId());
        };
    }
}
