package com.gpudash.infra.containers;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.gpudash.infra.config.Settings;
import com.gpudash.query.replay.ReadModelGate;
import com.gpudash.saga.container.Reconciliation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Runs a reconciliation every RECONCILE_INTERVAL, on a thread of its own: it blocks on the servers. */
@Component
class ReconciliationSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationSchedule.class);

    private final Reconciliation reconciliation;
    private final ReadModelGate readModels;
    private final Duration interval;
    private ScheduledExecutorService ticker;

    ReconciliationSchedule(Reconciliation reconciliation, ReadModelGate readModels, Settings settings) {
        this.reconciliation = reconciliation;
        this.readModels = readModels;
        this.interval = settings.containers().reconcileInterval();
    }

    @Override
    public void start() {
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "container-reconciliation");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::passSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void passSafely() {
        try {
            // Against half-rebuilt read models every container would look like an orphan.
            if (!readModels.runIfComplete(() -> reconciliation.reconcile(Instant.now()))) {
                log.info("Container reconciliation skipped: the read models are being rebuilt");
            }
        } catch (RuntimeException e) {
            // The next pass must still come (the database briefly gone, say).
            log.error("Container reconciliation failed", e);
        }
    }

    @Override
    public void stop() {
        ticker.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return ticker != null && !ticker.isShutdown();
    }

    @Override
    public int getPhase() {
        // After Axon has started, so findings can be recorded; stopped before it.
        return Integer.MAX_VALUE - 100;
    }
}
