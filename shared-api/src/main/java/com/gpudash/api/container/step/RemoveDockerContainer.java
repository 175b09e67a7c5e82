package com.gpudash.api.container.step;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/** Remove the container, or find it gone. The workspace stays. */
public record RemoveDockerContainer(ContainerId containerId, OperationId operationId, ServerId serverId,
                                    String containerName) {
}
