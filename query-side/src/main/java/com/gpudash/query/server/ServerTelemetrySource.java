package com.gpudash.query.server;

import java.util.Optional;

import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerStatsView;

/** The latest telemetry per server. Telemetry is not event-sourced: it lives in memory where it is collected. */
public interface ServerTelemetrySource {

    Optional<ServerStatsView> latest(ServerId serverId);
}
