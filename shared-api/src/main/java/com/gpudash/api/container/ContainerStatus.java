package com.gpudash.api.container;

public enum ContainerStatus {
    /** Asked for; no server chosen yet. */
    REQUESTED,
    /** A server and its GPUs are reserved; workspace, container and route are being set up. */
    PROVISIONING,
    RUNNING,
    STOPPED,
    /** Provisioning failed and what it had set up was undone (the workspace stays); it may be requested again. */
    FAILED,
    /** The user is being deleted: route and container are going. */
    REMOVING,
    /** Gone for good; the workspace stays on its server. */
    REMOVED
}
