package com.gpudash.api.server;

import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Sent by the poller; only a change of the set of GPUs becomes an event (GPUs are reserved by UUID). */
public record RecordGpuInventory(@TargetAggregateIdentifier ServerId serverId, List<GpuDevice> gpus) {
}
