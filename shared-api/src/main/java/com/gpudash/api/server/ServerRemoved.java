package com.gpudash.api.server;

import java.util.List;

/** {@code abandonedAssignments} is empty unless the removal was forced; it names what was left without a server. */
public record ServerRemoved(ServerId serverId, String name, boolean forced, List<String> abandonedAssignments) {
}
