package com.gpudash.api.stats;

import java.util.Map;

import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.UserStatus;

/**
 * The dashboard's figures, as the contract shows them. Every map has a key for every value of its enum, zeros
 * included, so that a chart has all its bars.
 */
public record StatsView(Users users, Servers servers, Containers containers, Gpus gpus) {

    public record Users(long total, Map<UserStatus, Long> byStatus, Map<Role, Long> byRole) {
    }

    /** {@code byStatus} goes beyond the contract's {@code {total, online}}: a dashboard charts the offline ones too. */
    public record Servers(long total, long online, Map<ServerStatus, Long> byStatus) {
    }

    public record Containers(Map<ContainerStatus, Long> byStatus) {
    }

    /** {@code assigned}: held by containers on the servers' ledgers. */
    public record Gpus(long total, long assigned) {
    }
}
