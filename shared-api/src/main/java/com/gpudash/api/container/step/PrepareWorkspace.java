package com.gpudash.api.container.step;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/** Copy the workspace template to the user's directory on the server, unless that directory exists. */
public record PrepareWorkspace(ContainerId containerId, OperationId operationId, ServerId serverId, String username) {
}
