package com.gpudash.agent;

/**
 * A container runtime call failed. {@link #retriable()} tells a caller whether trying the same call again later can
 * succeed (the engine was unreachable or slow) or cannot (the request itself was refused).
 */
public class ContainerRuntimeException extends RuntimeException {

    public ContainerRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }

    public boolean retriable() {
        return false;
    }
}
