package com.gpudash.agent;

/** The container or image the call names does not exist on that engine (HTTP 404). */
public class RuntimeNotFoundException extends ContainerRuntimeException {

    public RuntimeNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
