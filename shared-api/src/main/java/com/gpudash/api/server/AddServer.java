package com.gpudash.api.server;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record AddServer(@TargetAggregateIdentifier ServerId serverId, String name, ServerConnection connection,
                        int maxContainers) {
}
