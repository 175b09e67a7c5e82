package com.gpudash.agent;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How one server's Docker Engine is reached.
 *
 * @param uri {@code unix:///path/to/docker.sock}, {@code tcp://host:port} or {@code ssh://user@host[:port]}; over
 *     ssh the Engine API is spoken through {@code docker system dial-stdio} run as that user on that host
 * @param tlsCertificateDirectory a directory holding {@code ca.pem}, {@code cert.pem} and {@code key.pem}; when set,
 *     the engine is spoken to over TLS with that client certificate; {@code null} for no TLS
 * @param plainTcpToRemoteHostAllowed whether {@code tcp://} without TLS may reach a host other than loopback; an
 *     unauthenticated Docker API is root on that host for anyone on the network, so this is an explicit opt-in
 * @param sshHostKeys for {@code ssh://} only, and required there: the host keys the server may present
 */
public record DockerEndpoint(URI uri, Path tlsCertificateDirectory, boolean plainTcpToRemoteHostAllowed,
                             HostKeyTrust sshHostKeys) {

    static final int DEFAULT_SSH_PORT = 22;

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    /** An IPv4 address as four decimal numbers from 0 to 255 without leading zeros. */
    private static final Pattern DOTTED_DECIMAL = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    /** The last label of a host that a resolver reads as a number: decimal, or hexadecimal with {@code 0x}. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9A-Fa-f]*");

    public DockerEndpoint {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (sshHostKeys != null && !"ssh".equals(scheme)) {
            throw new IllegalArgumentException("SSH host keys make no sense for " + uri);
        }
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
        } else if ("ssh".equals(scheme)) {
            if (uri.getUserInfo() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("an ssh Docker endpoint needs a user and a host (ssh://user@host[:port]): "
                        + uri);
            }
            if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("an ssh Docker endpoint is ssh://user@host[:port] and nothing more: " + uri);
            }
            if (tlsCertificateDirectory != null) {
                throw new IllegalArgumentException("TLS certificates make no sense over SSH: " + uri);
            }
            if (sshHostKeys == null) {
                throw new IllegalArgumentException("no host key is known for " + uri
                        + ": register the server's SSH host key or set SSH_KNOWN_HOSTS");
            }
            // Checks the user name and the port as every SSH connection of this system does.
            sshTarget(uri, sshHostKeys);
        } else {
            throw new IllegalArgumentException("a Docker endpoint is unix:///path, tcp://host:port or ssh://user@host[:port],"
                    + " not " + uri);
        }
    }

    /** An endpoint without TLS and without the opt-in for plain TCP to remote hosts. */
    public static DockerEndpoint of(String uri) {
        return new DockerEndpoint(URI.create(uri), null, false, null);
    }

    /** An {@code ssh://user@host[:port]} endpoint whose server may present the keys {@code hostKeys} names. */
    public static DockerEndpoint overSsh(String uri, HostKeyTrust hostKeys) {
        return new DockerEndpoint(URI.create(uri), null, false, hostKeys);
    }

    public boolean usesTls() {
        return tlsCertificateDirectory != null;
    }

    public boolean usesSsh() {
        return "ssh".equals(uri.getScheme());
    }

    /** The SSH connection an {@code ssh://} endpoint is spoken over: its user, host and port (22 unless given). */
    public SshTarget sshTarget() {
        if (!usesSsh()) {
            throw new IllegalStateException(uri + " is not reached over SSH");
        }
        return sshTarget(uri, sshHostKeys);
    }

    private static SshTarget sshTarget(URI uri, HostKeyTrust hostKeys) {
        String host = uri.getHost();
        // An SSH connection and a known_hosts line name an IPv6 address without the brackets of a URI.
        String address = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return new SshTarget(address, uri.getPort() == -1 ? DEFAULT_SSH_PORT : uri.getPort(), uri.getUserInfo(),
                hostKeys);
    }

    /**
     * Why this system never speaks to this endpoint, whatever state the engine behind it is in; empty when it may.
     * The one rule for it: the adapter applies it before connecting, and the registration of a server and the
     * start-up settings check apply it so that an endpoint that would always be refused is never stored.
     * <ul>
     *   <li>a link-local host (IPv4 169.254.0.0/16, IPv6 fe80::/10) of a tcp or ssh endpoint, always: the cloud metadata service lives at
     *       169.254.169.254, and no Docker Engine is reached there on purpose;</li>
     *   <li>a host that a resolver would read as an IPv4 address but is not written as four decimal numbers
     *       ({@code 2852039166}, {@code 0xa9fea9fe}, {@code 0251.0376.0251.0376}): such a spelling hides the
     *       address from this check;</li>
     *   <li>plain TCP (no TLS certificate directory) to a host other than loopback, unless explicitly allowed:
     *       an unauthenticated Docker API is root on that host for anyone on the network. The host must be a
     *       loopback address literal or {@code localhost}, so that no name resolution decides whether the API
     *       travels unencrypted across a network.</li>
     * </ul>
     * Names are never resolved here: what a name points at can change after this check.
     */
    public Optional<String> refusal() {
        if (!"tcp".equals(uri.getScheme()) && !usesSsh()) {
            return Optional.empty();
        }
        String host = uri.getHost();
        Optional<InetAddress> literal;
        try {
            literal = literalAddress(host);
        } catch (IllegalArgumentException unclear) {
            return Optional.of("refusing " + uri + ": " + unclear.getMessage());
        }
        if (literal.isPresent() && literal.get().isLinkLocalAddress()) {
            return Optional.of("refusing " + uri + ": a link-local address (169.254.0.0/16, fe80::/10) is never a"
                    + " Docker Engine; 169.254.169.254 is the cloud metadata service");
        }
        boolean loopback = "localhost".equalsIgnoreCase(host) || literal.map(InetAddress::isLoopbackAddress).orElse(false);
        if (!usesSsh() && !usesTls() && !plainTcpToRemoteHostAllowed && !loopback) {
            return Optional.of("refusing plain tcp to " + uri + ": without TLS the Docker API is only spoken to on"
                    + " loopback; configure a certificate directory (DOCKER_TLS_CERT_DIR) or explicitly allow it"
                    + " (DOCKER_ALLOW_PLAIN_TCP=true)");
        }
        return Optional.empty();
    }

    /**
     * The address a host names without a lookup: a bracketed IPv6 literal or a dotted-decimal IPv4 one; empty for
     * a name. A host whose last label is a number is an IPv4 address to a resolver, so it must be dotted decimal.
     */
    private static Optional<InetAddress> literalAddress(String host) {
        String text;
        if (host.startsWith("[") && host.endsWith("]")) {
            text = host.substring(1, host.length() - 1);
        } else {
            String withoutRoot = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
            String lastLabel = withoutRoot.substring(withoutRoot.lastIndexOf('.') + 1);
            if (!NUMERIC_LABEL.matcher(lastLabel).matches()) {
                return Optional.empty();
            }
            if (!DOTTED_DECIMAL.matcher(host).matches()) {
                throw new IllegalArgumentException("write an IPv4 address as four decimal numbers (a.b.c.d), not " + host);
            }
            text = host;
        }
        try {
            // Both forms are literals, so this parses and never looks anything up.
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException notAnAddress) {
            throw new IllegalArgumentException("not an IP address: " + host);
        }
    }
}
