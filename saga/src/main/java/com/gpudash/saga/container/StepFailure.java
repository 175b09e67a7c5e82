package com.gpudash.saga.container;

/** A step that cannot be done now; {@code retriable} when a later try may succeed. */
final class StepFailure extends RuntimeException {

    private final boolean retriable;

    StepFailure(String reason, boolean retriable) {
        super(reason);
        this.retriable = retriable;
    }

    static StepFailure permanent(String reason) {
        return new StepFailure(reason, false);
    }

    boolean retriable() {
        return retriable;
    }
}
