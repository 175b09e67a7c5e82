package com.gpudash.agent;

import java.time.Instant;
import java.util.List;

/**
 * An image on one engine.
 *
 * @param id the image id, {@code sha256:…}
 * @param tags {@code repository:tag} names; empty for an untagged image
 * @param containers how many containers, running or not, were created from it
 */
public record ImageState(String id, List<String> tags, long sizeBytes, Instant createdAt, int containers) {

    public ImageState {
        tags = List.copyOf(tags);
    }
}
