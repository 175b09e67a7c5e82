package com.gpudash.api.container;

import com.gpudash.api.server.ServerId;

/** See {@link RecordOrphanContainer}; {@code removed} says whether it is gone now. */
public record OrphanContainerFound(ServerId serverId, String dockerContainerId, String containerName,
                                   String claimedContainerId, boolean removed, String removalError) {
}
