package com.gpudash.agent;

import java.util.List;

/**
 * The server did not prove it holds a trusted host key: it presented another key, or none of the trusted type.
 * Either the server was reinstalled or someone is in between; a person must look, so this is never retried.
 *
 * @see #presentedFingerprint()
 */
public class HostKeyMismatchException extends HostShellException {

    private final String host;
    private final int port;
    private final List<String> trustedFingerprints;
    private final String presentedFingerprint;

    public HostKeyMismatchException(String host, int port, List<String> trustedFingerprints, String presentedFingerprint,
            String message, Throwable cause) {
        super(message, cause);
        this.host = host;
        this.port = port;
        this.trustedFingerprints = List.copyOf(trustedFingerprints);
        this.presentedFingerprint = presentedFingerprint;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** SHA-256 fingerprints of the keys that would have been accepted; empty when none is known for the host. */
    public List<String> trustedFingerprints() {
        return trustedFingerprints;
    }

    /** The SHA-256 fingerprint of the key the server presented, or {@code null} when it offered none of the trusted type. */
    public String presentedFingerprint() {
        return presentedFingerprint;
    }
}
