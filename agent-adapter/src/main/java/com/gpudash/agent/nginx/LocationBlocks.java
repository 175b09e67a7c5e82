package com.gpudash.agent.nginx;

import java.util.Comparator;
import java.util.List;

import com.gpudash.agent.Route;

/**
 * The routes as nginx {@code location} blocks, for inclusion in a {@code server} block. Only the validated parts of
 * a {@link Route} appear; the output depends on nothing but the set of routes, so an unchanged table renders to
 * the same bytes.
 *
 * <p>The including configuration must declare, in its {@code http} block, nginx's usual websocket map (a
 * {@code map} cannot live in a {@code server} block; without it {@code nginx -t} refuses the routes):
 * <pre>
 * map $http_upgrade $connection_upgrade { default upgrade; '' close; }
 * </pre>
 */
final class LocationBlocks {

    private LocationBlocks() {
    }

    static String render(List<Route> routes) {
        StringBuilder config = new StringBuilder()
                .append("# Written by gpudash from its route table; changes made here are overwritten.\n");
        routes.stream().sorted(Comparator.comparing(Route::username)).forEach(route -> config.append(block(route)));
        return config.toString();
    }

    private static String block(Route route) {
        String host = route.upstreamIsIpv6() ? "[" + route.upstreamHost() + "]" : route.upstreamHost();
        // The trailing slash of proxy_pass replaces the /<username>/ prefix, so the user's server sees paths from /.
        // Connection is derived from Upgrade, never copied from the client: a client's Connection header can name
        // other headers, X-Forwarded-For among them, for the upstream to drop.
        return """

                location %1$s {
                    proxy_pass http://%2$s:%3$d/;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Real-IP $remote_addr;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header X-Forwarded-Host $http_host;
                    proxy_set_header X-Forwarded-Prefix /%4$s;
                    proxy_connect_timeout 10s;
                    proxy_send_timeout 3600s;
                    proxy_read_timeout 3600s;
                }
                """.formatted(route.path(), host, route.upstreamPort(), route.username());
    }
}
