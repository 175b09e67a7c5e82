package com.gpudash.agent;

/**
 * The proxy did not take a new route table: its configuration test refused it (the previous table stays live), or
 * it could not be asked or reloaded. The message carries what the proxy printed.
 */
public class RouteTableException extends RuntimeException {

    private final boolean retriable;

    public RouteTableException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** Whether the same table may be taken later: not when the proxy's test refused it, which it will again. */
    public boolean retriable() {
        return retriable;
    }
}
