package com.gpudash.api.container.step;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;

/**
 * Choose a server (the requested one, or the ONLINE server with room and the most free GPUs, then free memory),
 * reserve with {@code ReserveServerCapacity}, answer {@code RecordContainerPlaced}.
 *
 * @param requestedServerId the admin's choice, or null
 */
public record PlaceContainer(ContainerId containerId, OperationId operationId, ServerId requestedServerId,
                             int gpuCount) {
}
