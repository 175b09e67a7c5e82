package com.gpudash.api.server;

/** Every registered server with its room for another container: answered with a list of {@link ServerRoom}. */
public record FetchServerRooms() {
}
