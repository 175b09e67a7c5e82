package com.gpudash.api.container;

/**
 * One piece of work on a GPU server or on nginx, done by a worker behind an agent-adapter port. A worker reports
 * a failure of any of them with {@link RecordStepFailed}.
 */
public enum ContainerStep {
    PLACEMENT("choose a server and reserve its GPUs"),
    WORKSPACE("prepare the workspace"),
    CREATE("create the container"),
    START("start the container"),
    ROUTE("publish the web route"),
    UNROUTE("remove the web route"),
    STOP("stop the container"),
    REMOVE("remove the container");

    private final String description;

    ContainerStep(String description) {
        this.description = description;
    }

    /** Reads after "could not", for the reasons a person sees. */
    public String description() {
        return description;
    }
}
