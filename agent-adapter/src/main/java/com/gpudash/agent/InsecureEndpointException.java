package com.gpudash.agent;

/** A Docker endpoint would be spoken to in a way this system refuses, such as plain TCP to a remote host. */
public class InsecureEndpointException extends ContainerRuntimeException {

    public InsecureEndpointException(String message) {
        super(message, null);
    }
}
