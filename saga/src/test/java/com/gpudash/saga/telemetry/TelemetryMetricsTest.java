package com.gpudash.saga.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.gpudash.agent.gpu.GpuSample;
import com.gpudash.api.server.RegisteredServer;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerStatsView;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

@RequiresServices(Service.PROMTOOL)
class TelemetryMetricsTest {

    private static final GpuSample H100 = new GpuSample(0, "GPU-0c1d", "NVIDIA H100 80GB HBM3", "00000000:19:00.0",
            "590.48.01", 87, 41, 85520809984L, 70465896448L, 54, 512.3, 700.0);
    /** A MIG-mode GPU reports [N/A] for utilization and temperature: those gauges must be absent, not 0. */
    private static final GpuSample MIG = new GpuSample(1, "GPU-9f2e", "NVIDIA H100 80GB HBM3", "00000000:3B:00.0",
            "590.48.01", null, null, 85520809984L, 1048576L, null, 98.1, 700.0);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TelemetryMetrics metrics = new TelemetryMetrics(registry);

    private static ServerReading reading(String name, boolean up, List<GpuSample> gpus, List<String> failed) {
        RegisteredServer server = new RegisteredServer(ServerId.random(), name,
                new ServerConnection("10.0.0.5", "tcp://10.0.0.5:2376", 22, "root", null), ServerStatus.ONLINE);
        return new ServerReading(server, new ServerStatsView(server.id(), Instant.now(), null, null, null, List.of(), null,
                List.of()), up, up ? null : "down", gpus, 12_000_000, failed);
    }

    @Test
    void gpusAndServersAppearUnderPrometheusNamesWithBoundedLabels() throws Exception {
        ServerReading gpu01 = reading("gpu-01", true, List.of(H100, MIG), List.of());
        ServerReading gpu02 = reading("gpu-02", false, List.of(), List.of("docker"));
        metrics.recordCollection(gpu01);
        metrics.recordCollection(gpu02);
        metrics.publish(List.of(gpu01, gpu02));

        String scrape = registry.scrape();

        assertThat(scrape).contains(
                "gpudash_server_up{server=\"gpu-01\"} 1.0",
                "gpudash_server_up{server=\"gpu-02\"} 0.0",
                "gpudash_gpu_utilization_ratio{gpu=\"0\",model=\"NVIDIA H100 80GB HBM3\",server=\"gpu-01\",uuid=\"GPU-0c1d\"} 0.87",
                "gpudash_gpu_memory_used_bytes{gpu=\"0\",model=\"NVIDIA H100 80GB HBM3\",server=\"gpu-01\",uuid=\"GPU-0c1d\"} 7.0465896448E10",
                "gpudash_gpu_memory_total_bytes{gpu=\"1\"",
                "gpudash_gpu_temperature_celsius{gpu=\"0\"",
                "gpudash_gpu_power_watts{gpu=\"1\",model=\"NVIDIA H100 80GB HBM3\",server=\"gpu-01\",uuid=\"GPU-9f2e\"} 98.1",
                "gpudash_server_collection_duration_seconds_count{server=\"gpu-01\"} 1",
                "gpudash_server_collection_failures_total{component=\"docker\",server=\"gpu-02\"} 1.0");
        assertThat(scrape).doesNotContain("gpudash_gpu_temperature_celsius{gpu=\"1\"", "gpudash_gpu_utilization_ratio{gpu=\"1\"");
        assertThat(promtool(scrape)).isEmpty();
    }

    @Test
    void aRemovedServerLeavesTheScrape() {
        ServerReading gpu01 = reading("gpu-01", true, List.of(H100), List.of("probe"));
        metrics.recordCollection(gpu01);
        metrics.publish(List.of(gpu01));

        metrics.publish(List.of());

        assertThat(registry.scrape()).doesNotContain("server=\"gpu-01\"");
    }

    private static String promtool(String scrape) throws Exception {
        Process promtool = new ProcessBuilder(TestServices.promtoolBinary(), "check", "metrics").redirectErrorStream(true).start();
        promtool.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return verdict;
    }
}
