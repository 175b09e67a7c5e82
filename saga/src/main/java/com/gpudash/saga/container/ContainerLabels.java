package com.gpudash.saga.container;

import java.util.Map;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.operation.OperationId;

/** The labels on every container gpudash creates: they say whose it is and which provisioning made it. */
public final class ContainerLabels {

    public static final String INSTALLATION = "gpudash.installation";
    public static final String CONTAINER_ID = "gpudash.container-id";
    public static final String USER = "gpudash.user";
    public static final String ASSIGNMENT = "gpudash.assignment";

    private ContainerLabels() {
    }

    static Map<String, String> of(String installationId, ContainerId containerId, String username,
                                  OperationId provisioning) {
        return Map.of(INSTALLATION, installationId, CONTAINER_ID, containerId.value(), USER, username,
                ASSIGNMENT, provisioning.value());
    }

    /** The filter that lists this installation's containers and no one else's. */
    public static Map<String, String> ofInstallation(String installationId) {
        return Map.of(INSTALLATION, installationId);
    }
}
