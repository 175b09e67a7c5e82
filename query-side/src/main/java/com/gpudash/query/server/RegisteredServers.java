package com.gpudash.query.server;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import com.gpudash.api.DomainException;
import com.gpudash.api.server.FindRegisteredServer;
import com.gpudash.api.server.FindRegisteredServers;
import com.gpudash.api.server.RegisteredServer;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerStatus;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Answers the other modules' questions about the registered servers from the servers read model, so that the
 * query side stays the only reader of its tables. The askers (the telemetry poller, the image workers and
 * endpoints) block on a thread of their own, so this reads with JDBC.
 */
@Component
class RegisteredServers {

    private static final String COLUMNS = "id, name, host, docker_endpoint, ssh_port, ssh_user, ssh_host_key, status";

    private final JdbcTemplate jdbc;

    RegisteredServers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    List<RegisteredServer> all(FindRegisteredServers query) {
        return jdbc.query("SELECT " + COLUMNS + " FROM server_view ORDER BY name", (rs, n) -> registered(rs));
    }

    @QueryHandler
    RegisteredServer one(FindRegisteredServer query) {
        return jdbc.query("SELECT " + COLUMNS + " FROM server_view WHERE id = ?", (rs, n) -> registered(rs),
                        query.serverId().value())
                .stream().findFirst()
                .orElseThrow(() -> DomainException.notFound("No server " + query.serverId()));
    }

    private static RegisteredServer registered(ResultSet rs) throws SQLException {
        return new RegisteredServer(ServerId.of(rs.getString("id")), rs.getString("name"),
                new ServerConnection(rs.getString("host"), rs.getString("docker_endpoint"), rs.getInt("ssh_port"),
                        rs.getString("ssh_user"), rs.getString("ssh_host_key")),
                ServerStatus.valueOf(rs.getString("status")));
    }
}
