package com.gpudash.api.server;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code force} removes a server that still has containers assigned; the event records which ones. */
public record RemoveServer(@TargetAggregateIdentifier ServerId serverId, boolean force) {
}
