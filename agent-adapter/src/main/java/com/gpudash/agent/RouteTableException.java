package com.gpudash.agent;

/**
 * The proxy did not take a new route table: its configuration test refused it (the previous table stays live), or
 * its reload failed. The message carries what the proxy printed.
 */
public class RouteTableException extends RuntimeException {

    public RouteTableException(String message) {
        super(message);
    }

    public RouteTableException(String message, Throwable cause) {
        super(message, cause);
    }
}
