package com.gpudash.infra.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import com.gpudash.api.DomainException;
import com.gpudash.api.server.AddServer;
import com.gpudash.api.server.FetchRegisteredServer;
import com.gpudash.api.server.FetchRegisteredServers;
import com.gpudash.api.server.RegisteredServer;
import com.gpudash.api.server.RemoveServer;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.testsupport.Eventually;
import com.gpudash.infra.H2ApplicationTest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The query side's answers about the registered servers, as the telemetry and the image endpoints ask them. */
@H2ApplicationTest
class RegisteredServersQueryTest {

    private static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2mZ test@host";

    @Autowired
    CommandGateway commands;
    @Autowired
    QueryGateway queries;

    private final List<ServerId> added = new ArrayList<>();

    @AfterEach
    void removeServers() {
        added.forEach(id -> commands.sendAndWait(new RemoveServer(id, true)));
    }

    @Test
    void everyRegisteredServerIsAnsweredInNameOrderWithWhatReachingItTakes() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        ServerId second = add("rq-b-" + suffix, new ServerConnection("10.0.0.7", "tcp://10.0.0.7:2376", 2200, "lab", null));
        ServerId first = add("rq-a-" + suffix, new ServerConnection("10.0.0.6", "unix:///var/run/docker.sock", 22, "root", HOST_KEY));

        List<RegisteredServer> servers = Eventually.await("both servers in the read model", Duration.ofSeconds(10), () -> {
            List<RegisteredServer> all = all();
            return all.stream().filter(s -> s.id().equals(first) || s.id().equals(second)).count() == 2
                    ? Optional.of(all) : Optional.empty();
        });

        assertThat(servers).extracting(RegisteredServer::name).isSortedAccordingTo(Comparator.naturalOrder());
        // The status is the telemetry's to change meanwhile (these engines do not exist); it is read, not asserted.
        assertThat(servers).filteredOn(s -> s.name().endsWith(suffix))
                .extracting(RegisteredServer::id, RegisteredServer::name, RegisteredServer::connection)
                .containsExactly(
                        tuple(first, "rq-a-" + suffix,
                                new ServerConnection("10.0.0.6", "unix:///var/run/docker.sock", 22, "root", HOST_KEY)),
                        tuple(second, "rq-b-" + suffix,
                                new ServerConnection("10.0.0.7", "tcp://10.0.0.7:2376", 2200, "lab", null)));
        assertThat(servers).allSatisfy(server -> assertThat(server.status()).isNotNull());
        RegisteredServer one = queries.query(new FetchRegisteredServer(first), RegisteredServer.class).join();
        assertThat(one.name()).isEqualTo("rq-a-" + suffix);
        assertThat(one.connection().sshHostKey()).as("the pinned key, which the API never shows").isEqualTo(HOST_KEY);
    }

    @Test
    void aServerThatIsNotRegisteredIsRefusedAsNotFound() {
        ServerId removed = add("rq-gone-" + UUID.randomUUID().toString().substring(0, 8),
                new ServerConnection("10.0.0.8", "unix:///var/run/docker.sock", 22, "root", null));
        Eventually.await("the server in the read model", Duration.ofSeconds(10),
                () -> all().stream().filter(s -> s.id().equals(removed)).findFirst());
        commands.sendAndWait(new RemoveServer(removed, true));
        added.remove(removed);
        Eventually.await("the server gone from the read model", Duration.ofSeconds(10),
                () -> all().stream().noneMatch(s -> s.id().equals(removed)) ? Optional.of(true) : Optional.empty());

        for (ServerId unknown : List.of(removed, ServerId.random())) {
            assertThatThrownBy(() -> queries.query(new FetchRegisteredServer(unknown), RegisteredServer.class).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(DomainException.class,
                            refusal -> assertThat(refusal.reason()).isEqualTo(DomainException.Reason.NOT_FOUND));
        }
    }

    private List<RegisteredServer> all() {
        return queries.query(new FetchRegisteredServers(), ResponseTypes.multipleInstancesOf(RegisteredServer.class)).join();
    }

    private ServerId add(String name, ServerConnection connection) {
        ServerId id = ServerId.random();
        commands.sendAndWait(new AddServer(id, name, connection, 4));
        added.add(id);
        return id;
    }
}
