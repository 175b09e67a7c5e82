package com.gpudash.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * One user's path on the reverse proxy: {@code /<username>/} is passed to {@code upstreamHost:upstreamPort}.
 *
 * <p>Every component ends up in the proxy's configuration, where text is code (a semicolon or a closing brace in a
 * name would add directives), so each is checked against a strict pattern here and nothing else about a route exists.
 *
 * @param upstreamHost an IPv4 or IPv6 address literal (IPv6 without brackets) or a host name of letters, digits,
 *     hyphens and dots
 */
public record Route(String username, String upstreamHost, int upstreamPort) {

    public static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9_-]{2,31}");

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    // Labels of letters, digits and inner hyphens; the last one not all digits, which would read as a mistyped address.
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)*(?![0-9]+$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");

    public Route {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("not a routable user name: " + username);
        }
        if (upstreamHost == null || !(IPV4.matcher(upstreamHost).matches() || isIpv6(upstreamHost)
                || HOSTNAME.matcher(upstreamHost).matches())) {
            throw new IllegalArgumentException("not an IP address or host name: " + upstreamHost);
        }
        if (upstreamPort < 1 || upstreamPort > 65535) {
            throw new IllegalArgumentException("not a port: " + upstreamPort);
        }
    }

    /** The path the route serves: {@code /<username>/}. */
    public String path() {
        return "/" + username + "/";
    }

    public boolean upstreamIsIpv6() {
        return isIpv6(upstreamHost);
    }

    private static boolean isIpv6(String host) {
        if (!host.contains(":") || !IPV6_CHARACTERS.matcher(host).matches()) {
            return false;
        }
        try {
            // With a colon in it the text is parsed as an address literal; no name is looked up.
            return InetAddress.getByName(host).getAddress().length == 16;
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }
}
