package com.gpudash.agent;

import java.util.List;

/**
 * What a prune removed, as Docker reported it.
 *
 * @param containersRemoved the ids of the removed containers
 * @param imagesRemoved the ids of the removed images, the untagged parents a dangling image took with it included
 *     (its layers and untagged names are not listed)
 * @param bytesReclaimed the sum of the space Docker says both prunes reclaimed; 0 for a preview
 */
public record PruneResult(List<String> containersRemoved, List<String> imagesRemoved, long bytesReclaimed) {

    public PruneResult {
        containersRemoved = List.copyOf(containersRemoved);
        imagesRemoved = List.copyOf(imagesRemoved);
    }
}
