package com.gpudash.saga.telemetry;

import java.util.List;

import com.gpudash.agent.gpu.GpuSample;
import com.gpudash.api.server.RegisteredServer;
import com.gpudash.api.server.ServerStatsView;

/**
 * One poll of one server: what the dashboard shows, whether the server counts as up, and if not, why.
 *
 * @param gpus the raw samples, for the Prometheus gauges
 */
record ServerReading(RegisteredServer server, ServerStatsView stats, boolean up, String downReason, List<GpuSample> gpus,
                     long durationNanos, List<String> failedComponents) {
}
