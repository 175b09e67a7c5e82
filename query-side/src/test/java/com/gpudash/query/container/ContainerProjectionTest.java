package com.gpudash.query.container;

import static com.gpudash.query.ReadModelSchema.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.gpudash.api.container.ContainerFoundMissing;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerPlaced;
import com.gpudash.api.container.ContainerProvisioned;
import com.gpudash.api.container.ContainerRemovalFailed;
import com.gpudash.api.container.ContainerRemovalRequested;
import com.gpudash.api.container.ContainerRemoved;
import com.gpudash.api.container.ContainerRequested;
import com.gpudash.api.container.ContainerStarted;
import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.container.ContainerStatusDrifted;
import com.gpudash.api.container.DockerContainerCreated;
import com.gpudash.api.container.DockerContainerRemoved;
import com.gpudash.api.container.DockerContainerStarted;
import com.gpudash.api.container.DockerContainerStopped;
import com.gpudash.api.container.ProvisioningFailed;
import com.gpudash.api.container.RouteActivated;
import com.gpudash.api.container.RouteDeactivated;
import com.gpudash.api.live.LiveChange;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import com.gpudash.query.ReadModelSchema;
import com.gpudash.query.live.LiveChanges;
import com.gpudash.query.projection.ProjectionDriver;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Given these container events, these rows of container_view and route_view. */
class ContainerProjectionTest {

    private static final Instant REQUESTED = Instant.parse("2026-03-01T10:00:00.123456Z");
    private static final Instant LATER = Instant.parse("2026-03-01T10:02:00.5Z");
    private static final long GIB = 1L << 30;

    private final JdbcTemplate jdbc = ReadModelSchema.h2With("V10__servers.sql", "V20__containers.sql");
    private final LiveChanges live = mock(LiveChanges.class);
    private final ProjectionDriver projection = new ProjectionDriver(new ContainerProjection(jdbc, live));
    private final ServerId alpha = ServerId.random();
    private final UserId annId = UserId.random();
    private final ContainerId ann = ContainerId.forUser(annId);
    private final OperationId operation = OperationId.random();

    /** The route joins the server's host from the servers read model, which the server projection writes. */
    @BeforeEach
    void aServerIsThere() {
        jdbc.update("""
                        INSERT INTO server_view (id, name, host, docker_endpoint, ssh_port, ssh_user, status, gpu_count,
                            max_containers, containers, created_at, updated_at)
                        VALUES (?, 'alpha', 'alpha.lab', 'tcp://alpha.lab:2375', 22, 'gpu', 'ONLINE', 2, 4, 1,
                            CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""", alpha.value());
    }

    @Test
    void aRequestIsARequestedRowNamedAfterTheUserWithNothingPlacedYet() {
        projection.handleAt(REQUESTED, requested());

        assertThat(container()).isEqualTo(tuple(ann.value(), annId.value(), "ann", null, null, "gpudash-ann", null,
                "REQUESTED", "", null, null, null, null, null, null, stored(REQUESTED)));
        verify(live).changed(new LiveChange(LiveChange.Kind.CONTAINER, ann.value(), annId));
    }

    @Test
    void aProvisioningInOneBatchEndsRunningWithItsContainerAndARouteToTheServersHostAndPort() {
        projection.handleAt(REQUESTED, provisioning(32001));

        assertThat(container()).isEqualTo(running(32001));
        assertThat(routes()).containsExactly(tuple("ann", ann.value(), "alpha.lab", 32001));
    }

    /** In a rebuild nobody is told, so no handler sends the batch's writes early; the route must still find them. */
    @Test
    void aReplayedProvisioningWrittenOnlyAtTheBatchsCommitGivesTheSameRowsAndTellsNobody() {
        when(live.replaying()).thenReturn(true);

        projection.handleAt(REQUESTED, provisioning(32001));

        assertThat(container()).isEqualTo(running(32001));
        assertThat(routes()).containsExactly(tuple("ann", ann.value(), "alpha.lab", 32001));
        verify(live, never()).changed(any());
    }

    @Test
    void everyEventTellsTheContainersUserThoughOnlyTheRequestNamesThem() {
        projection.handleAt(REQUESTED, provisioning(32001));

        verify(live, times(6)).changed(new LiveChange(LiveChange.Kind.CONTAINER, ann.value(), annId));
    }

    @Test
    void aFailedProvisioningUndoesThePlacementAndANewRequestStartsTheRowAfresh() {
        projection.handleAt(REQUESTED, new ContainerRequested(ann, annId, "ann", alpha, 2, operation),
                new ContainerPlaced(ann, operation, alpha, List.of("GPU-a")),
                new DockerContainerCreated(ann, operation, "d0c", "gpudash-ann", "cuda:12", 4.0, 16 * GIB),
                new DockerContainerStarted(ann, operation, 32001));

        projection.handleAt(LATER, new ProvisioningFailed(ann, operation, "no route"));
        assertThat(container()).isEqualTo(tuple(ann.value(), annId.value(), "ann", null, null, "gpudash-ann",
                "cuda:12", "FAILED", "", 4.0, 16 * GIB, null, null, null, "no route", stored(LATER)));

        projection.handleAt(LATER, new ContainerRequested(ann, annId, "ann", null, 1, OperationId.random()));
        assertThat(container()).isEqualTo(tuple(ann.value(), annId.value(), "ann", null, null, "gpudash-ann", null,
                "REQUESTED", "", null, null, null, null, null, null, stored(LATER)));
    }

    @Test
    void aStopAndAStartOnAnotherPortMoveTheStatusAndTheRoutesUpstreamPort() {
        projection.handleAt(REQUESTED, provisioning(32001));

        projection.handleAt(LATER, new DockerContainerStopped(ann, operation));
        assertThat(statusAndPort()).containsExactly("STOPPED", 32001);

        projection.handleAt(LATER, new ContainerStarted(ann, operation, 32005));
        assertThat(statusAndPort()).containsExactly("RUNNING", 32005);
        assertThat(routes()).containsExactly(tuple("ann", ann.value(), "alpha.lab", 32005));
    }

    @Test
    void aRemovalTakesTheRouteThenTheDockerContainerAndEndsRemovedWithNothingPlaced() {
        projection.handleAt(REQUESTED, provisioning(32001));

        projection.handleAt(LATER, new ContainerRemovalRequested(ann, operation, alpha, "gpudash-ann", "/ann/"));
        assertThat(statusAndPort()).containsExactly("REMOVING", 32001);

        projection.handleAt(LATER, new RouteDeactivated(ann, operation, "/ann/"));
        assertThat(container()).isEqualTo(tuple(ann.value(), annId.value(), "ann", alpha.value(), "d0c", "gpudash-ann",
                "cuda:12", "REMOVING", "GPU-a,GPU-b", 4.0, 16 * GIB, 32001, null, null, null, stored(LATER)));
        assertThat(routes()).isEmpty();

        projection.handleAt(LATER, new DockerContainerRemoved(ann, operation, "gpudash-ann"),
                new ContainerRemoved(ann, operation, alpha));
        assertThat(container()).isEqualTo(tuple(ann.value(), annId.value(), "ann", null, null, "gpudash-ann",
                "cuda:12", "REMOVED", "", 4.0, 16 * GIB, null, null, null, null, stored(LATER)));
    }

    @Test
    void aRemovedContainerLosesItsRouteEvenWithoutADeactivation() {
        projection.handleAt(REQUESTED, provisioning(32001));

        projection.handleAt(LATER, new ContainerRemoved(ann, operation, alpha));

        assertThat(routes()).isEmpty();
    }

    @Test
    void aFailedRemovalAMissingContainerAndADriftSetTheStatusTheySay() {
        projection.handleAt(REQUESTED, provisioning(32001));

        projection.handleAt(LATER, new ContainerStatusDrifted(ann, ContainerStatus.RUNNING, ContainerStatus.STOPPED,
                "exited"));
        assertThat(statusAndReason()).containsExactly("STOPPED", null);

        projection.handleAt(LATER, new ContainerFoundMissing(ann, alpha, "gpudash-ann", "gone from alpha"));
        assertThat(statusAndReason()).containsExactly("FAILED", "gone from alpha");

        projection.handleAt(LATER, new ContainerRemovalFailed(ann, operation, "docker unreachable"));
        assertThat(statusAndReason()).containsExactly("FAILED", "docker unreachable");
    }

    @Test
    void aRepeatedRouteActivationKeepsOneRoute() {
        projection.handleAt(REQUESTED, provisioning(32001));

        projection.handleAt(LATER, new RouteActivated(ann, operation, "/ann/", "https://lab/ann/"));

        assertThat(routes()).containsExactly(tuple("ann", ann.value(), "alpha.lab", 32001));
    }

    @Test
    void aResetEmptiesContainersAndRoutes() {
        projection.handleAt(REQUESTED, provisioning(32001));

        projection.reset();

        assertThat(jdbc.queryForObject("SELECT (SELECT COUNT(*) FROM container_view) + (SELECT COUNT(*) FROM"
                + " route_view)", Integer.class)).isZero();
    }

    private ContainerRequested requested() {
        return new ContainerRequested(ann, annId, "ann", null, 2, operation);
    }

    private Object[] provisioning(int hostPort) {
        return new Object[] {requested(),
                new ContainerPlaced(ann, operation, alpha, List.of("GPU-a", "GPU-b")),
                new DockerContainerCreated(ann, operation, "d0c", "gpudash-ann", "cuda:12", 4.0, 16 * GIB),
                new DockerContainerStarted(ann, operation, hostPort),
                new RouteActivated(ann, operation, "/ann/", "https://lab/ann/"),
                new ContainerProvisioned(ann, operation)};
    }

    private Tuple running(int hostPort) {
        return tuple(ann.value(), annId.value(), "ann", alpha.value(), "d0c", "gpudash-ann", "cuda:12", "RUNNING",
                "GPU-a,GPU-b", 4.0, 16 * GIB, hostPort, "/ann/", "https://lab/ann/", null, stored(REQUESTED));
    }

    /** The one row of container_view, every column. */
    private Tuple container() {
        return jdbc.queryForObject("SELECT * FROM container_view", (row, n) -> tuple(row.getString("id"),
                row.getString("user_id"), row.getString("username"), row.getString("server_id"),
                row.getString("docker_container_id"), row.getString("container_name"), row.getString("image"),
                row.getString("status"), row.getString("gpus"), row.getObject("cpus"), row.getObject("memory_bytes"),
                row.getObject("host_port"), row.getString("route_path"), row.getString("url"),
                row.getString("failure_reason"), row.getTimestamp("updated_at")));
    }

    private List<Tuple> routes() {
        return jdbc.query("SELECT * FROM route_view", (row, n) -> tuple(row.getString("username"),
                row.getString("container_id"), row.getString("upstream_host"), row.getInt("upstream_port")));
    }

    private List<Object> statusAndPort() {
        return jdbc.queryForObject("SELECT status, host_port FROM container_view",
                (row, n) -> Arrays.asList(row.getString(1), row.getObject(2)));
    }

    private List<Object> statusAndReason() {
        return jdbc.queryForObject("SELECT status, failure_reason FROM container_view",
                (row, n) -> Arrays.asList(row.getString(1), row.getString(2)));
    }
}
