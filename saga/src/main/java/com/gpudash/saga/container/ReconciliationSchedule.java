package com.gpudash.saga.container;

import java.time.Duration;
import java.time.Instant;

import com.gpudash.api.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a {@link Reconciliation} every RECONCILE_INTERVAL, the first one interval after the start, on a thread of its
 * own: it blocks on the servers. Infra configures it with the interval and with the gate that replays close.
 */
public class ReconciliationSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationSchedule.class);

    /** Runs work only while no replay is rebuilding the read models; says whether it ran. */
    @FunctionalInterface
    public interface ReadModelsComplete {
        boolean runIfComplete(Runnable work);
    }

    private final PeriodicTask passes;

    public ReconciliationSchedule(Reconciliation reconciliation, ReadModelsComplete readModels, Duration interval) {
        this.passes = new PeriodicTask("container-reconciliation", interval, interval, () -> {
            // Against half-rebuilt read models every container would look like an orphan.
            if (!readModels.runIfComplete(() -> reconciliation.reconcile(Instant.now()))) {
                log.info("Container reconciliation skipped: the read models are being rebuilt");
            }
        });
    }

    @Override
    public void start() {
        passes.start();
    }

    @Override
    public void stop() {
        passes.stop();
    }

    @Override
    public boolean isRunning() {
        return passes.isRunning();
    }

    @Override
    public int getPhase() {
        // After Axon has started, so findings can be recorded; stopped before it.
        return Integer.MAX_VALUE - 100;
    }
}
