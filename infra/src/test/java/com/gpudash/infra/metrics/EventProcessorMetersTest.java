package com.gpudash.infra.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.monitoring.MessageMonitor.MonitorCallback;
import org.junit.jupiter.api.Test;

class EventProcessorMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Instant now = Instant.parse("2026-12-04T12:00:00Z");
    private final EventProcessorMeters meters = new EventProcessorMeters(registry, "users-projection",
            Clock.fixed(now, ZoneOffset.UTC));

    @Test
    void eachOutcomeIsCountedForItsProcessor() {
        meters.onMessageIngested(event(now)).reportSuccess();
        meters.onMessageIngested(event(now)).reportSuccess();
        meters.onMessageIngested(event(now)).reportIgnored();
        meters.onMessageIngested(event(now)).reportFailure(new IllegalStateException("row locked"));

        assertThat(count("handled")).isEqualTo(2);
        assertThat(count("ignored")).isEqualTo(1);
        assertThat(count("failed")).isEqualTo(1);
    }

    @Test
    void theLagIsTheAgeOfTheLastHandledEventWhenItWasHandled() {
        assertThat(lag()).as("nothing handled yet").isZero();

        meters.onMessageIngested(event(now.minusSeconds(90))).reportSuccess();
        assertThat(lag()).isEqualTo(90.0);

        MonitorCallback newer = meters.onMessageIngested(event(now.minusMillis(250)));
        meters.onMessageIngested(event(now.minusSeconds(3600))).reportIgnored();
        newer.reportSuccess();
        assertThat(lag()).as("an ignored event moves nothing").isEqualTo(0.25);
    }

    private double count(String outcome) {
        return registry.get("gpudash.event.processor.events").tag("processor", "users-projection")
                .tag("outcome", outcome).counter().count();
    }

    private double lag() {
        return registry.get("gpudash.event.processor.lag").tag("processor", "users-projection").gauge().value();
    }

    private static GenericEventMessage<String> event(Instant at) {
        return new GenericEventMessage<>(java.util.UUID.randomUUID().toString(), "payload", MetaData.emptyInstance(), at);
    }
}
