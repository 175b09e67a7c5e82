package com.gpudash.saga.telemetry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.gpudash.agent.gpu.GpuSample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * The telemetry as Prometheus sees it: per server whether it is up and how long and how often its collection
 * failed, per GPU its utilization, memory, temperature and power. Labels are server name, GPU index, UUID and
 * model: nothing unbounded, no user names. A reading the driver does not give is left out, not reported as 0.
 */
class TelemetryMetrics {

    private final MeterRegistry registry;
    private final MultiGauge serverUp;
    private final MultiGauge gpuUtilization;
    private final MultiGauge gpuMemoryUsed;
    private final MultiGauge gpuMemoryTotal;
    private final MultiGauge gpuTemperature;
    private final MultiGauge gpuPower;

    TelemetryMetrics(MeterRegistry registry) {
        this.registry = registry;
        serverUp = MultiGauge.builder("gpudash.server.up")
                .description("1 when the server's Docker Engine (and its SSH, when configured) answered the last poll")
                .register(registry);
        gpuUtilization = MultiGauge.builder("gpudash.gpu.utilization").baseUnit("ratio")
                .description("Fraction of the last sample period during which a kernel ran on the GPU").register(registry);
        gpuMemoryUsed = MultiGauge.builder("gpudash.gpu.memory.used").baseUnit(BaseUnits.BYTES)
                .description("GPU memory in use").register(registry);
        gpuMemoryTotal = MultiGauge.builder("gpudash.gpu.memory.total").baseUnit(BaseUnits.BYTES)
                .description("GPU memory installed").register(registry);
        gpuTemperature = MultiGauge.builder("gpudash.gpu.temperature").baseUnit("celsius")
                .description("GPU core temperature").register(registry);
        gpuPower = MultiGauge.builder("gpudash.gpu.power").baseUnit("watts")
                .description("GPU power draw").register(registry);
    }

    void recordCollection(ServerReading reading) {
        Timer.builder("gpudash.server.collection.duration")
                .description("Time one poll of one server took")
                .tag("server", reading.server().name())
                .register(registry)
                .record(Duration.ofNanos(reading.durationNanos()));
        for (String component : reading.failedComponents()) {
            Counter.builder("gpudash.server.collection.failures")
                    .description("Polls of a server whose component (docker, ssh, probe) could not be read")
                    .tags("server", reading.server().name(), "component", component)
                    .register(registry)
                    .increment();
        }
    }

    /** Replaces every gauge row with the latest readings; servers no longer registered disappear. */
    void publish(Collection<ServerReading> readings) {
        serverUp.register(readings.stream()
                .map(r -> MultiGauge.Row.of(Tags.of("server", r.server().name()), r.up() ? 1 : 0))
                .toList(), true);
        gpuUtilization.register(gpuRows(readings, g -> g.utilizationGpuPercent() == null ? null : g.utilizationGpuPercent() / 100.0), true);
        gpuMemoryUsed.register(gpuRows(readings, GpuSample::memoryUsedBytes), true);
        gpuMemoryTotal.register(gpuRows(readings, GpuSample::memoryTotalBytes), true);
        gpuTemperature.register(gpuRows(readings, GpuSample::temperatureCelsius), true);
        gpuPower.register(gpuRows(readings, GpuSample::powerDrawWatts), true);
        forgetPerServerMetersExcept(readings.stream().map(r -> r.server().name()).collect(Collectors.toSet()));
    }

    private static List<MultiGauge.Row<?>> gpuRows(Collection<ServerReading> readings, Function<GpuSample, Number> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (ServerReading reading : readings) {
            for (GpuSample gpu : reading.gpus()) {
                Number number = value.apply(gpu);
                if (number != null) {
                    rows.add(MultiGauge.Row.of(Tags.of("server", reading.server().name(),
                            "gpu", gpu.index() == null ? "" : String.valueOf(gpu.index()),
                            "uuid", gpu.uuid() == null ? "" : gpu.uuid(),
                            "model", gpu.name() == null ? "" : gpu.name()), number));
                }
            }
        }
        return rows;
    }

    private void forgetPerServerMetersExcept(Set<String> servers) {
        for (Meter meter : List.copyOf(registry.getMeters())) {
            String name = meter.getId().getName();
            if (name.startsWith("gpudash.server.collection.") && !servers.contains(meter.getId().getTag("server"))) {
                registry.remove(meter);
            }
        }
    }
}
