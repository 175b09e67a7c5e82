package com.gpudash.api.cleanup;

import java.util.List;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * What the engine removed, as it reported it; after a dry run, what it would have removed (and no bytes).
 *
 * @param containers Docker ids of the removed containers
 * @param images ids of the removed images ({@code sha256:…})
 * @param bytesReclaimed the space the engine says the removals freed
 */
public record RecordServerCleanupResult(@TargetAggregateIdentifier ServerId serverId, OperationId operationId,
                                        boolean dryRun, List<String> containers, List<String> images,
                                        long bytesReclaimed) {

    public RecordServerCleanupResult {
        containers = List.copyOf(containers);
        images = List.copyOf(images);
    }
}
