package com.gpudash.query.container;

import static com.gpudash.api.QueryAnswers.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.container.FetchContainerOwner;
import com.gpudash.api.container.FetchKnownContainers;
import com.gpudash.api.container.FetchPublishedRoutes;
import com.gpudash.api.container.KnownContainer;
import com.gpudash.api.container.PublishedRoute;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import com.gpudash.query.ReadModelSchema;
import com.gpudash.query.replay.ReadModelGate;
import com.gpudash.query.replay.Rebuilds;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The containers' and routes' questions, asked as the workers and reconciliation ask them, of rows in the real tables. */
class ContainerQueriesTest {

    private final JdbcTemplate jdbc = ReadModelSchema.h2With("V10__servers.sql", "V20__containers.sql");
    private final ReadModelGate gate = new ReadModelGate();
    private final QueryGateway queries = gatewayTo(new ContainerQueries(jdbc, gate));

    @Test
    void routesAreTheRowsOfTheRoutesReadModel() {
        route("ann", "10.0.0.5", 32001);
        route("bob", "gpu2.lab", 32002);

        assertThat(routes()).containsExactlyInAnyOrder(new PublishedRoute("ann", "10.0.0.5", 32001),
                new PublishedRoute("bob", "gpu2.lab", 32002));
    }

    @Test
    void routesAskedDuringARebuildAreAnsweredWhenItEndsFromTheRefilledTable() throws Exception {
        route("ann", "10.0.0.5", 32001);
        CompletableFuture<List<PublishedRoute>> asked = new CompletableFuture<>();

        Rebuilds.during(gate, () -> {
            jdbc.update("DELETE FROM route_view");
            CompletableFuture.runAsync(() -> asked.complete(routes()));
            assertThatThrownBy(() -> asked.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            route("ann", "10.0.0.5", 32001);
            route("bob", "gpu2.lab", 32002);
        });

        assertThat(asked.get(5, TimeUnit.SECONDS)).hasSize(2);
    }

    @Test
    void knownContainersSayWhereEachIsAndAContainerWithoutAServerHasNone() {
        ServerId server = ServerId.random();
        ContainerId placed = container(UserId.random(), "ann", server, ContainerStatus.RUNNING);
        ContainerId requested = container(UserId.random(), "bob", null, ContainerStatus.REQUESTED);

        List<KnownContainer> known = await(queries.query(new FetchKnownContainers(),
                ResponseTypes.multipleInstancesOf(KnownContainer.class)));

        assertThat(known).containsExactlyInAnyOrder(
                new KnownContainer(placed, server, ContainerStatus.RUNNING, "gpu-dev-ann"),
                new KnownContainer(requested, null, ContainerStatus.REQUESTED, "gpu-dev-bob"));
    }

    @Test
    void theOwnerOfAContainerIsKnownOnceTheReadModelHasIt() {
        UserId ann = UserId.random();
        ContainerId hers = container(ann, "ann", null, ContainerStatus.REQUESTED);

        assertThat(owner(hers)).contains(ann);
        assertThat(owner(ContainerId.forUser(UserId.random()))).isEmpty();
    }

    private List<PublishedRoute> routes() {
        return await(queries.query(new FetchPublishedRoutes(), ResponseTypes.multipleInstancesOf(PublishedRoute.class)));
    }

    private Optional<UserId> owner(ContainerId container) {
        return await(queries.query(new FetchContainerOwner(container), ResponseTypes.optionalInstanceOf(UserId.class)));
    }

    private void route(String username, String host, int port) {
        jdbc.update("INSERT INTO route_view (username, container_id, upstream_host, upstream_port) VALUES (?, ?, ?, ?)",
                username, ContainerId.forUser(UserId.random()).value(), host, port);
    }

    private ContainerId container(UserId user, String username, ServerId server, ContainerStatus status) {
        ContainerId id = ContainerId.forUser(user);
        jdbc.update("""
                        INSERT INTO container_view (id, user_id, username, server_id, container_name, status, gpus, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, '', CURRENT_TIMESTAMP)""",
                id.value(), user.value(), username, server == null ? null : server.value(), "gpu-dev-" + username,
                status.name());
        return id;
    }

    private static QueryGateway gatewayTo(Object handlers) {
        SimpleQueryBus bus = SimpleQueryBus.builder().build();
        new AnnotationQueryHandlerAdapter<>(handlers).subscribe(bus);
        return DefaultQueryGateway.builder().queryBus(bus).build();
    }
}
