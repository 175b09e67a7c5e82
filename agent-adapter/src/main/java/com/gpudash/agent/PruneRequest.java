package com.gpudash.agent;

import java.util.Map;
import java.util.Set;

/**
 * What a prune removes: stopped containers and/or dangling images, narrowed by labels.
 *
 * @param onlyLabelled only objects carrying all these labels (an empty value matches the key alone)
 * @param exceptLabelled never objects carrying this label key, such as the label that marks a user's container,
 *     which stays while stopped. At most one key: Docker's {@code label!} filter spares only objects that carry
 *     all of the keys it names, so a second key would quietly narrow what is spared.
 */
public record PruneRequest(
        boolean stoppedContainers,
        boolean danglingImages,
        Map<String, String> onlyLabelled,
        Set<String> exceptLabelled) {

    public PruneRequest {
        onlyLabelled = Map.copyOf(onlyLabelled);
        exceptLabelled = Set.copyOf(exceptLabelled);
        if (exceptLabelled.size() > 1) {
            throw new IllegalArgumentException("at most one label key can be spared, got " + exceptLabelled);
        }
    }
}
