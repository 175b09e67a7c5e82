package com.gpudash.agent;

import java.util.Map;
import java.util.Set;

/**
 * What a prune removes: stopped containers and/or dangling images, narrowed by labels.
 *
 * @param onlyLabelled only objects carrying all these labels (an empty value matches the key alone)
 * @param exceptLabelled never objects carrying any of these label keys, such as the label that marks a user's
 *     container, which stays while stopped
 */
public record PruneRequest(
        boolean stoppedContainers,
        boolean danglingImages,
        Map<String, String> onlyLabelled,
        Set<String> exceptLabelled) {

    public PruneRequest {
        onlyLabelled = Map.copyOf(onlyLabelled);
        exceptLabelled = Set.copyOf(exceptLabelled);
    }
}
