package com.gpudash.api.cleanup;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/**
 * For the cleanup worker, which prunes the server's engine outside any unit of work that appends events. A retry
 * is harmless: what the last try removed is gone, and a prune removes only what is there.
 */
public record CleanServer(ServerId serverId, OperationId operationId, boolean dryRun, boolean stoppedContainers,
                          boolean danglingImages) {
}
