package com.gpudash.agent;

/** The server could not be reached, or the command did not end in time; the same call may succeed later. */
public class HostShellUnavailableException extends HostShellException {

    public HostShellUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
