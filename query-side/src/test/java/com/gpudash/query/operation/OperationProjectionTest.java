package com.gpudash.query.operation;

import static com.gpudash.query.ReadModelSchema.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.api.live.LiveChange;
import com.gpudash.api.operation.OperationFailed;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.operation.OperationRunning;
import com.gpudash.api.operation.OperationStarted;
import com.gpudash.api.operation.OperationSucceeded;
import com.gpudash.api.operation.OperationType;
import com.gpudash.api.user.UserId;
import com.gpudash.query.ReadModelSchema;
import com.gpudash.query.live.LiveChanges;
import com.gpudash.query.projection.ProjectionDriver;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Given these operation events, these rows of operation_view. */
class OperationProjectionTest {

    private static final Instant STARTED = Instant.parse("2026-03-01T10:00:00.123456Z");
    private static final Instant FINISHED = Instant.parse("2026-03-01T10:01:30.25Z");

    private final JdbcTemplate jdbc = ReadModelSchema.h2With("V11__operations.sql");
    private final ObjectMapper json = new ObjectMapper();
    private final LiveChanges live = mock(LiveChanges.class);
    private final ProjectionDriver projection = new ProjectionDriver(new OperationProjection(jdbc, json, live));
    private final OperationId provisioning = OperationId.random();
    private final UserId ann = UserId.random();

    @Test
    void aStartedOperationIsPendingWithItsTypeTargetAndOwner() {
        projection.handleAt(STARTED, started(provisioning, ann.value()));

        assertThat(operation(provisioning)).isEqualTo(tuple("PROVISION_CONTAINER", "PENDING",
                Map.of("userId", ann.value(), "serverId", "any"), ann.value(), stored(STARTED), null, null, null));
        verify(live).changed(new LiveChange(LiveChange.Kind.OPERATION, provisioning.value(), ann));
    }

    @Test
    void aRunningThenSucceededOperationKeepsItsResultAndWhenItFinished() {
        projection.handleAt(STARTED, started(provisioning, ann.value()), new OperationRunning(provisioning));
        assertThat(operation(provisioning).toList()).element(1).isEqualTo("RUNNING");

        projection.handleAt(FINISHED, new OperationSucceeded(provisioning, Map.of("containerId", "c1", "gpus", 2)));

        assertThat(operation(provisioning)).isEqualTo(tuple("PROVISION_CONTAINER", "SUCCEEDED",
                Map.of("userId", ann.value(), "serverId", "any"), ann.value(), stored(STARTED), stored(FINISHED),
                Map.of("containerId", "c1", "gpus", 2), null));
    }

    @Test
    void aFailedOperationKeepsItsErrorAndWhenItFinished() {
        projection.handleAt(STARTED, started(provisioning, ann.value()), new OperationRunning(provisioning));

        projection.handleAt(FINISHED, new OperationFailed(provisioning, "no server has 2 GPUs free"));

        assertThat(operation(provisioning)).isEqualTo(tuple("PROVISION_CONTAINER", "FAILED",
                Map.of("userId", ann.value(), "serverId", "any"), ann.value(), stored(STARTED), stored(FINISHED), null,
                "no server has 2 GPUs free"));
    }

    @Test
    void operationsInterleavedInOneBatchEachGetTheirOwnRowAndTheirOwnersAreTold() {
        OperationId replay = OperationId.random();

        projection.handleAt(STARTED, started(provisioning, ann.value()),
                new OperationStarted(replay, OperationType.REPLAY_PROJECTIONS, null, null),
                new OperationRunning(provisioning), new OperationRunning(replay),
                new OperationFailed(provisioning, "boom"), new OperationSucceeded(replay, null));

        assertThat(jdbc.queryForList("SELECT id, status FROM operation_view ORDER BY type"))
                .extracting("id", "status")
                .containsExactly(tuple(provisioning.value(), "FAILED"), tuple(replay.value(), "SUCCEEDED"));
        assertThat(operation(replay)).isEqualTo(tuple("REPLAY_PROJECTIONS", "SUCCEEDED", null, null,
                stored(STARTED), stored(STARTED), null, null));
        // Only the start names the owner; the later events are told to the owner the row keeps.
        verify(live, times(3)).changed(
                new LiveChange(LiveChange.Kind.OPERATION, provisioning.value(), ann));
        verify(live, times(3)).changed(
                new LiveChange(LiveChange.Kind.OPERATION, replay.value(), null));
    }

    @Test
    void anEventOfAnOperationWithoutARowWritesNothingAndTellsNobody() {
        projection.handleAt(FINISHED, new OperationRunning(provisioning), new OperationFailed(provisioning, "late"));

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM operation_view", Integer.class)).isZero();
        verify(live, never()).changed(any());
    }

    @Test
    void aResetEmptiesTheTable() {
        projection.handleAt(STARTED, started(provisioning, ann.value()));

        projection.reset();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM operation_view", Integer.class)).isZero();
    }

    private static OperationStarted started(OperationId id, String owner) {
        return new OperationStarted(id, OperationType.PROVISION_CONTAINER, Map.of("userId", owner, "serverId", "any"),
                owner);
    }

    /** Type, status, target, owner, started, finished, result and error; the JSON columns read as maps. */
    private Tuple operation(OperationId id) {
        return jdbc.queryForObject("SELECT * FROM operation_view WHERE id = ?", (row, n) -> tuple(
                row.getString("type"), row.getString("status"), map(row.getString("target")),
                row.getString("owner_user_id"), row.getTimestamp("started_at"), row.getTimestamp("finished_at"),
                map(row.getString("result")), row.getString("error")), id.value());
    }

    private Map<?, ?> map(String column) {
        try {
            return column == null ? null : json.readValue(column, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
