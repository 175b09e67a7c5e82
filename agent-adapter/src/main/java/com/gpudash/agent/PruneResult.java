package com.gpudash.agent;

import java.util.List;

/**
 * What a prune removed, as Docker reported it.
 *
 * @param imagesRemoved the ids of deleted image layers (untagged names are not listed)
 * @param bytesReclaimed the sum of the space Docker says both prunes reclaimed
 */
public record PruneResult(List<String> containersRemoved, List<String> imagesRemoved, long bytesReclaimed) {

    public PruneResult {
        containersRemoved = List.copyOf(containersRemoved);
        imagesRemoved = List.copyOf(imagesRemoved);
    }
}
