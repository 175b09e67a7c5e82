package com.gpudash.api.image;

import com.gpudash.api.server.ServerId;

/**
 * The images on one server, asked of its Docker Engine now (images are not event-sourced). Answered with
 * {@link ServerImages}, newest first; refused with a {@link com.gpudash.api.DomainException} NOT_FOUND for a
 * server that is not registered.
 */
public record FetchServerImages(ServerId serverId) {
}
