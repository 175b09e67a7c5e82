package com.gpudash.agent;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How one server's Docker Engine is reached.
 *
 * @param uri {@code unix:///path/to/docker.sock} or {@code tcp://host:port}
 * @param tlsCertificateDirectory a directory holding {@code ca.pem}, {@code cert.pem} and {@code key.pem}; when set,
 *     the engine is spoken to over TLS with that client certificate; {@code null} for no TLS
 * @param plainTcpToRemoteHostAllowed whether {@code tcp://} without TLS may reach a host other than loopback; an
 *     unauthenticated Docker API is root on that host for anyone on the network, so this is an explicit opt-in
 */
public record DockerEndpoint(URI uri, Path tlsCertificateDirectory, boolean plainTcpToRemoteHostAllowed) {

    public DockerEndpoint {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if ("unix".equals(scheme)) {
            if (uri.getPath() == null || uri.getPath().isEmpty()) {
                throw new IllegalArgumentException("a unix Docker endpoint needs a socket path: " + uri);
            }
            if (tlsCertificateDirectory != null) {
                throw new IllegalArgumentException("TLS certificates make no sense for a unix socket: " + uri);
            }
        } else if ("tcp".equals(scheme)) {
            if (uri.getHost() == null || uri.getPort() < 1) {
                throw new IllegalArgumentException("a tcp Docker endpoint needs a host and a port: " + uri);
            }
        } else {
            throw new IllegalArgumentException("a Docker endpoint is unix:///path or tcp://host:port, not " + uri);
        }
    }

    /** An endpoint without TLS and without the opt-in for plain TCP to remote hosts. */
    public static DockerEndpoint of(String uri) {
        return new DockerEndpoint(URI.create(uri), null, false);
    }

    public boolean usesTls() {
        return tlsCertificateDirectory != null;
    }
}
