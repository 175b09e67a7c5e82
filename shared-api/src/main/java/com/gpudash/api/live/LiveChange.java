package com.gpudash.api.live;

import com.gpudash.api.user.UserId;

/**
 * The update of the {@link FetchLiveChanges} subscription query: which object of the read models changed, and
 * whose it is. It names the object rather than carrying it, so a reader that falls behind keeps one entry per
 * object and reads its latest state when it catches up.
 *
 * @param ownerUserId the user the object belongs to (the user itself, a container's user, an operation's starter);
 *                    null for servers and for operations nobody started
 */
public record LiveChange(Kind kind, String id, UserId ownerUserId) {

    public enum Kind { USER, SERVER, CONTAINER, OPERATION }
}
