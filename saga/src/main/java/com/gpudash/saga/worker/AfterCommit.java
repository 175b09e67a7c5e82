package com.gpudash.saga.worker;

import java.util.concurrent.Executor;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * Starts slow work on another thread only once the unit of work that asked for it has committed: a saga's
 * state and deadlines are stored before anything reaches a GPU server, and a rolled-back request does nothing.
 */
public final class AfterCommit {

    private AfterCommit() {
    }

    public static void run(Executor executor, Runnable work) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> executor.execute(work));
        } else {
            executor.execute(work);
        }
    }
}
