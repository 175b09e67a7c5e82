package com.gpudash.api.operation;

/** Every kind of work that answers 202 with an operation: what reaches a GPU server, and rebuilding the read models. */
public enum OperationType {
    PROVISION_CONTAINER, START_CONTAINER, STOP_CONTAINER, REMOVE_USER, DELETE_IMAGE, BUILD_IMAGE, CLEANUP_SERVER,
    REPLAY_PROJECTIONS
}
