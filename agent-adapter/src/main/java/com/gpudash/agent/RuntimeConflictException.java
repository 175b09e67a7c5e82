package com.gpudash.agent;

/** The engine refused the call because of the state of something (HTTP 409): a name taken, an image in use. */
public class RuntimeConflictException extends ContainerRuntimeException {

    public RuntimeConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
