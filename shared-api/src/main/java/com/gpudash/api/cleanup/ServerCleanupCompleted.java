package com.gpudash.api.cleanup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/**
 * The end of a cleanup. After a dry run nothing was removed: the counts and bytes are 0 and {@code containers} and
 * {@code images} list what would have gone.
 */
public record ServerCleanupCompleted(ServerId serverId, OperationId operationId, boolean dryRun,
                                     int containersRemoved, int imagesRemoved, long bytesReclaimed,
                                     List<String> containers, List<String> images) {

    public ServerCleanupCompleted {
        containers = List.copyOf(containers);
        images = List.copyOf(images);
    }

    /** The operation's result: the contract's {@code {containersRemoved, imagesRemoved, bytesReclaimed}} and more. */
    public Map<String, Object> asResult() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("serverId", serverId.value());
        result.put("dryRun", dryRun);
        result.put("containersRemoved", containersRemoved);
        result.put("imagesRemoved", imagesRemoved);
        result.put("bytesReclaimed", bytesReclaimed);
        result.put("containers", containers);
        result.put("images", images);
        return result;
    }
}
