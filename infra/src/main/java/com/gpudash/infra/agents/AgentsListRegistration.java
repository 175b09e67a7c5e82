package com.gpudash.infra.agents;

import java.util.Locale;

import com.gpudash.api.server.AddServer;
import com.gpudash.api.server.ServerAdded;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.infra.config.Settings;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Registers the Flask deployment's AGENTS_LIST on first start, so an upgraded deployment finds its servers. Once
 * any server has ever been added, the registry is the admins' and AGENTS_LIST is not read again.
 */
@Component
class AgentsListRegistration {

    private static final Logger log = LoggerFactory.getLogger(AgentsListRegistration.class);
    static final int DEFAULT_SSH_PORT = 22;
    static final String DEFAULT_SSH_USER = "root";
    static final int DEFAULT_MAX_CONTAINERS = 8;

    private final Settings settings;
    private final JdbcTemplate jdbc;
    private final CommandGateway commands;

    AgentsListRegistration(Settings settings, JdbcTemplate jdbc, CommandGateway commands) {
        this.settings = settings;
        this.jdbc = jdbc;
        this.commands = commands;
    }

    @EventListener(ApplicationReadyEvent.class)
    void registerOnFirstStart() {
        if (settings.agentsList().isEmpty()) {
            return;
        }
        Long added = jdbc.queryForObject("SELECT COUNT(*) FROM DomainEventEntry WHERE payloadType = ?", Long.class,
                ServerAdded.class.getName());
        if (added != null && added > 0) {
            return;
        }
        for (String host : settings.agentsList()) {
            String endpoint = ServerEndpoints.agentsListEndpoint(host, settings.agentPort());
            commands.sendAndWait(new AddServer(ServerId.random(), host.toLowerCase(Locale.ROOT),
                    new ServerConnection(host, endpoint, DEFAULT_SSH_PORT, DEFAULT_SSH_USER, null), DEFAULT_MAX_CONTAINERS));
            log.info("Registered GPU server {} from AGENTS_LIST (Docker Engine at {})", host, endpoint);
        }
    }
}
