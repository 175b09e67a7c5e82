package com.gpudash.infra.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class PrometheusConventionsTest {

    private final PrometheusConventions conventions = new PrometheusConventions();

    @Test
    void axonsCamelCaseMetersAndTagsBecomeSnakeCaseWithHelp() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(conventions.prometheusNamesAndHelp()).meterFilter(conventions.dropMetersWithAbbreviatedUnits());

        Counter.builder("eventProcessor.successCounter").tag("payloadType", "UserRegistered").register(registry).increment();
        io.micrometer.core.instrument.Timer.builder("eventProcessor.successTimer").register(registry);
        Gauge.builder("system.cpu.count", () -> 2).register(registry);
        Counter.builder("jvm.compilation.time").baseUnit("ms").register(registry);
        Counter.builder("gpudash.server.collection.failures").description("Failed collections").tag("server", "gpu-01")
                .register(registry);

        String scrape = registry.scrape();
        assertThat(scrape).contains("# HELP axon_event_processor_success_total axon event processor success",
                "axon_event_processor_success_total{payload_type=\"UserRegistered\"} 1.0",
                "axon_event_processor_success_duration_seconds_count 0",
                "system_cpu_logical_processors 2.0",
                "# HELP gpudash_server_collection_failures_total Failed collections");
        assertThat(scrape).doesNotContain("jvm_compilation_time", "eventProcessor", "payloadType", "system_cpu_count");
    }
}
