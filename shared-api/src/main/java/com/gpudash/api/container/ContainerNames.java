package com.gpudash.api.container;

/**
 * The names a user's container has on the outside. They are derived from the username alone, so a step that is
 * retried, or run again after a restart, finds what the last try did.
 */
public final class ContainerNames {

    private ContainerNames() {
    }

    /** The Docker container's name: {@code gpudash-<username>}. */
    public static String dockerContainerName(String username) {
        return "gpudash-" + username;
    }

    /** The nginx location: {@code /<username>/}. */
    public static String routePath(String username) {
        return "/" + username + "/";
    }
}
