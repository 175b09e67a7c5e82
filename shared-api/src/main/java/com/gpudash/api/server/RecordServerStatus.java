package com.gpudash.api.server;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Sent by the telemetry poller after every poll; only a change of status becomes an event. */
public record RecordServerStatus(@TargetAggregateIdentifier ServerId serverId, ServerStatus status, String reason) {
}
