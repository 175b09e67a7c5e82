package com.gpudash.saga.telemetry;

import java.time.Duration;

/**
 * What the telemetry poller is given by the deployment's settings.
 *
 * @param interval    TELEMETRY_INTERVAL: one round of every server per interval
 * @param concurrency TELEMETRY_CONCURRENCY: how many servers are read at the same time
 * @param diskPath    the directory whose file system the disk figures are of (WORKDIR_DEPLOY)
 */
public record TelemetrySettings(Duration interval, int concurrency, String diskPath) {
}
