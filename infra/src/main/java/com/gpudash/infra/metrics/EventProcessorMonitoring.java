package com.gpudash.infra.metrics;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The message monitors of the event processors. Axon's Micrometer module keeps its meters for the buses; for an
 * event processor a monitor registered for its type takes precedence over that module's general one.
 */
@Configuration(proxyBeanMethods = false)
class EventProcessorMonitoring {

    /**
     * Streaming processors get {@link EventProcessorMeters}. Subscribing processors (the uniqueness registries and
     * lookup tables kept in a command's transaction, see application.yml) get none: they are part of every command,
     * whose meters include their time, and per-message meters there were a sixth of a command's CPU
     * (bench/commands.sh).
     */
    @Bean
    ConfigurerModule eventProcessorMonitors(MeterRegistry registry) {
        Clock clock = Clock.systemUTC();
        return configurer -> configurer.configureMessageMonitor(EventProcessor.class,
                (configuration, processorType, processorName) -> SubscribingEventProcessor.class.isAssignableFrom(processorType)
                        ? NoOpMessageMonitor.INSTANCE
                        : new EventProcessorMeters(registry, processorName, clock));
    }
}
