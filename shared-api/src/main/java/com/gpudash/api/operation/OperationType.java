package com.gpudash.api.operation;

/** Every kind of work that reaches a GPU server and therefore answers 202 with an operation. */
public enum OperationType {
    PROVISION_CONTAINER, START_CONTAINER, STOP_CONTAINER, REMOVE_USER, DELETE_IMAGE, BUILD_IMAGE, CLEANUP_SERVER
}
