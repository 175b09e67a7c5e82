package com.gpudash.api.image;

import com.gpudash.api.server.ServerId;

/**
 * One image on one server, by id or name, asked of its Docker Engine now. Answered with {@link ServerImages}
 * holding that image, or none when the engine does not have it; refused NOT_FOUND for an unknown server.
 */
public record FetchServerImage(ServerId serverId, String imageId) {
}
