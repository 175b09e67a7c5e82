package com.gpudash.infra.persistence;

import java.time.Duration;

import com.gpudash.api.PeriodicTask;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tries the dead letters of every processing group again on an interval: a projection that failed on an event
 * (a database blip, a bug since fixed) catches up by itself, in the order the events were parked.
 */
@Component
public class DeadLetterRetry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRetry.class);
    static final Duration INTERVAL = Duration.ofSeconds(30);

    private final EventProcessingConfiguration processing;
    private final PeriodicTask retries = new PeriodicTask("dead-letter-retry", INTERVAL, INTERVAL, () -> {
        int handled = retryAll();
        if (handled > 0) {
            log.info("Handled {} parked event sequence(s) from the dead-letter queue", handled);
        }
    });

    public DeadLetterRetry(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    /** Retries every parked sequence once; returns how many sequences were handled successfully. */
    public int retryAll() {
        int handled = 0;
        for (EventProcessor processor : processing.eventProcessors().values()) {
            var deadLetters = processing.sequencedDeadLetterProcessor(processor.getName());
            if (deadLetters.isPresent()) {
                while (deadLetters.get().processAny()) {
                    handled++;
                }
            }
        }
        return handled;
    }

    @Override
    public void start() {
        retries.start();
    }

    @Override
    public void stop() {
        retries.stop();
    }

    @Override
    public boolean isRunning() {
        return retries.isRunning();
    }
}
