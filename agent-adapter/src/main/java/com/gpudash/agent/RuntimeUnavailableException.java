package com.gpudash.agent;

/** The engine could not be reached or did not answer in time; the same call may succeed later. */
public class RuntimeUnavailableException extends ContainerRuntimeException {

    public RuntimeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
