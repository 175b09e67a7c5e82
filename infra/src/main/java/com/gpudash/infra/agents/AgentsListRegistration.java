package com.gpudash.infra.agents;

import static com.gpudash.api.QueryAnswers.await;

import java.util.Locale;

import com.gpudash.api.server.AddServer;
import com.gpudash.api.server.FetchAnyServerEverAdded;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.infra.config.Settings;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Registers the Flask deployment's AGENTS_LIST on first start, so an upgraded deployment finds its servers. Once
 * any server has ever been added, the registry is the admins' and AGENTS_LIST is not read again.
 */
@Component
class AgentsListRegistration {

    private static final Logger log = LoggerFactory.getLogger(AgentsListRegistration.class);
    static final int DEFAULT_MAX_CONTAINERS = 8;

    private final Settings settings;
    private final QueryGateway queries;
    private final CommandGateway commands;

    AgentsListRegistration(Settings settings, QueryGateway queries, CommandGateway commands) {
        this.settings = settings;
        this.queries = queries;
        this.commands = commands;
    }

    @EventListener(ApplicationReadyEvent.class)
    void registerOnFirstStart() {
        if (settings.agentsList().isEmpty()) {
            return;
        }
        if (await(queries.query(new FetchAnyServerEverAdded(), Boolean.class))) {
            return;
        }
        for (String host : settings.agentsList()) {
            ServerConnection server = ServerEndpoints.agentsListServer(host, settings);
            commands.sendAndWait(new AddServer(ServerId.random(), host.toLowerCase(Locale.ROOT), server,
                    DEFAULT_MAX_CONTAINERS));
            log.info("Registered GPU server {} from AGENTS_LIST (Docker Engine at {})", host, server.dockerEndpoint());
        }
    }
}
