package com.gpudash.api.image;

import java.time.Instant;
import java.util.List;

import com.gpudash.api.server.ServerId;

/** An image on one server, as the contract lists it; {@code containers} counts those created from it. */
public record ImageView(ServerId serverId, String id, List<String> tags, long sizeBytes, Instant createdAt, int containers) {
}
