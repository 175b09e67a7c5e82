package com.gpudash.infra.telemetry;

import com.gpudash.infra.config.Settings;
import com.gpudash.query.server.ServerTelemetrySource;
import com.gpudash.saga.telemetry.TelemetryPoller;
import com.gpudash.saga.telemetry.TelemetrySettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The telemetry poller's settings, and the poller's latest readings handed to the query side's stats endpoint:
 * the readings live in memory where they are collected (the saga module's poller), which the query side cannot
 * see, so the two meet here.
 */
@Configuration(proxyBeanMethods = false)
class TelemetryConfiguration {

    @Bean
    TelemetrySettings telemetrySettings(Settings settings) {
        return new TelemetrySettings(settings.telemetryInterval(), settings.telemetryConcurrency(), settings.workdirDeploy());
    }

    @Bean
    ServerTelemetrySource serverTelemetrySource(TelemetryPoller poller) {
        return poller::latest;
    }
}
