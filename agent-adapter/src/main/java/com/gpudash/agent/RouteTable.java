package com.gpudash.agent;

import java.util.List;

/** The reverse proxy's table of user routes. */
public interface RouteTable {

    /**
     * Makes {@code routes} the whole table: routes not in the list are gone afterwards. Either the proxy serves the
     * new table when this returns, or it still serves the previous one and a {@link RouteTableException} says why.
     *
     * @return whether the proxy was reloaded; {@code false} when it already served exactly this table
     * @throws IllegalArgumentException when two routes name the same user
     */
    boolean replaceAll(List<Route> routes);
}
