package com.gpudash.agent;

/**
 * A server answered a probe, but not with what the probe reads: a tool exited with an error or printed something
 * unexpected. The message carries what the server said.
 */
public class HostProbeException extends RuntimeException {

    public HostProbeException(String message) {
        super(message);
    }

    public HostProbeException(String message, Throwable cause) {
        super(message, cause);
    }
}
