package com.gpudash.infra.persistence;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    private volatile ScheduledExecutorService scheduler;

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
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dead-letter-retry");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                int handled = retryAll();
                if (handled > 0) {
                    log.info("Handled {} parked event sequence(s) from the dead-letter queue", handled);
                }
            } catch (RuntimeException e) {
                log.warn("Retrying dead letters failed; trying again in {} s", INTERVAL.toSeconds(), e);
            }
        }, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }
}
