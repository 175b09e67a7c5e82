package com.gpudash.command.server;

import com.gpudash.api.DomainException;
import com.gpudash.api.server.ServerAdded;
import com.gpudash.api.server.ServerRemoved;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps server names unique. It runs in a subscribing processor, inside the transaction that appends the
 * {@link ServerAdded} event, so when two requests race for one name the table's primary key refuses the second
 * and its events are rolled back with it.
 */
@Component
@ProcessingGroup(ServerNameRegistry.PROCESSING_GROUP)
class ServerNameRegistry {

    static final String PROCESSING_GROUP = "server-name-registry";

    private final JdbcTemplate jdbc;

    ServerNameRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ServerAdded event) {
        try {
            jdbc.update("INSERT INTO server_name_registry (name, server_id) VALUES (?, ?)",
                    event.name(), event.serverId().value());
        } catch (DuplicateKeyException taken) {
            throw DomainException.conflict("A server named '" + event.name() + "' exists already");
        }
    }

    @EventHandler
    void on(ServerRemoved event) {
        jdbc.update("DELETE FROM server_name_registry WHERE server_id = ?", event.serverId().value());
    }
}
