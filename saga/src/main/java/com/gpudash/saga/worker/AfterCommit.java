package com.gpudash.saga.worker;

import java.util.Optional;
import java.util.concurrent.Executor;

import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * Starts slow work on another thread only once the unit of work that asked for it has committed: a saga's
 * state and deadlines are stored before anything reaches a GPU server, and a rolled-back request does nothing.
 * <p>
 * The work runs outside any unit of work, so the commands it sends would inherit nothing from the message that
 * asked for it; that message's metadata stays available to them through {@link #causeMetaData()}, which is how
 * a worker's answers keep the correlation id of the request that started the flow.
 */
public final class AfterCommit {

    private static final ThreadLocal<MetaData> CAUSE = new ThreadLocal<>();

    private AfterCommit() {
    }

    public static void run(Executor executor, Runnable work) {
        if (CurrentUnitOfWork.isStarted()) {
            MetaData cause = CurrentUnitOfWork.get().getMessage().getMetaData();
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> executor.execute(() -> runFor(cause, work)));
        } else {
            executor.execute(work);
        }
    }

    /** While work started here runs: the metadata of the message whose handling asked for it. */
    public static Optional<MetaData> causeMetaData() {
        return Optional.ofNullable(CAUSE.get());
    }

    private static void runFor(MetaData cause, Runnable work) {
        CAUSE.set(cause);
        try {
            work.run();
        } finally {
            CAUSE.remove();
        }
    }
}
