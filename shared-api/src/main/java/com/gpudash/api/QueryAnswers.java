package com.gpudash.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for the answer of a query, for callers whose threads may block (workers, pollers, startup). */
public final class QueryAnswers {

    private QueryAnswers() {
    }

    /**
     * The answer, or what its handler threw as it threw it: a refusal such as a not-found {@link DomainException}
     * reaches the asker as the same exception it would have been had the asker read the table itself.
     */
    public static <R> R await(CompletableFuture<R> answer) {
        try {
            return answer.join();
        } catch (CompletionException failure) {
            if (failure.getCause() instanceof RuntimeException thrown) {
                throw thrown;
            }
            throw failure;
        }
    }
}
