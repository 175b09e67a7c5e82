package com.gpudash.agent;

/** A command could not be run on a server. {@link #retriable()}: whether the same call may succeed later. */
public class HostShellException extends RuntimeException {

    public HostShellException(String message, Throwable cause) {
        super(message, cause);
    }

    public boolean retriable() {
        return false;
    }
}
