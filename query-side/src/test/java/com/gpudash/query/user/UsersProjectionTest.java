package com.gpudash.query.user;

import static com.gpudash.query.ReadModelSchema.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Instant;
import java.util.List;

import com.gpudash.api.live.LiveChange;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.UserApproved;
import com.gpudash.api.user.UserCreated;
import com.gpudash.api.user.UserDeleted;
import com.gpudash.api.user.UserDisabled;
import com.gpudash.api.user.UserEnabled;
import com.gpudash.api.user.UserId;
import com.gpudash.api.user.UserProfileUpdated;
import com.gpudash.api.user.UserRegistered;
import com.gpudash.api.user.UserRejected;
import com.gpudash.api.user.UserRoleChanged;
import com.gpudash.query.ReadModelSchema;
import com.gpudash.query.live.LiveChanges;
import com.gpudash.query.projection.ProjectionDriver;
import org.assertj.core.api.AbstractListAssert;
import org.assertj.core.api.ObjectAssert;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Given these user events, these rows of users_view. */
class UsersProjectionTest {

    private static final Instant REGISTERED = Instant.parse("2026-03-01T10:00:00.123456Z");
    private static final Instant LATER = Instant.parse("2026-03-02T11:30:00.987Z");

    private final JdbcTemplate jdbc = ReadModelSchema.h2With("V3__identity.sql", "V52__users_view_page_indexes.sql",
            "V53__users_view_search_text.sql", "V54__users_view_utc_times.sql");
    private final LiveChanges live = mock(LiveChanges.class);
    private final ProjectionDriver projection = new ProjectionDriver(new UsersProjection(jdbc, live));
    private final UserId ann = UserId.random();
    private final UserId admin = UserId.random();

    @Test
    void aRegistrationIsAPendingRegularUserCreatedAtTheEventsTimeToTheMillisecond() {
        projection.handleAt(REGISTERED, new UserRegistered(ann, "ann", "ann@lab", "Ann Lee"));

        users().containsExactly(tuple(ann.value(), "ann", "ann@lab", "Ann Lee", "REGULAR", "PENDING",
                stored(REGISTERED), null, null));
        verify(live).changed(new LiveChange(LiveChange.Kind.USER, ann.value(), ann));
    }

    @Test
    void aUserAnAdminCreatedIsActiveWithTheRoleGiven() {
        projection.handleAt(REGISTERED, new UserCreated(ann, "ann", "ann@lab", null, Role.QVP));

        users().containsExactly(tuple(ann.value(), "ann", "ann@lab", null, "QVP", "ACTIVE",
                stored(REGISTERED), null, null));
    }

    @Test
    void anApprovalMakesTheUserActiveAndSaysWhenAndByWhom() {
        projection.handleAt(REGISTERED, new UserRegistered(ann, "ann", "ann@lab", "Ann Lee"));
        projection.handleAt(LATER, approval(ann));

        users().containsExactly(tuple(ann.value(), "ann", "ann@lab", "Ann Lee", "REGULAR", "ACTIVE",
                stored(REGISTERED), stored(LATER), admin.value()));
    }

    @Test
    void eachStatusEventSetsItsStatus() {
        projection.handleAt(REGISTERED, new UserRegistered(ann, "ann", "ann@lab", "Ann Lee"));

        projection.handleAt(LATER, new UserRejected(ann, "unknown to us"));
        assertThat(status(ann)).isEqualTo("REJECTED");
        projection.handleAt(LATER, approval(ann));
        assertThat(status(ann)).isEqualTo("ACTIVE");
        projection.handleAt(LATER, new UserDisabled(ann));
        assertThat(status(ann)).isEqualTo("DISABLED");
        projection.handleAt(LATER, new UserEnabled(ann));
        assertThat(status(ann)).isEqualTo("ACTIVE");
        projection.handleAt(LATER, new UserDeleted(ann, OperationId.random()));
        assertThat(status(ann)).isEqualTo("DELETED");
    }

    @Test
    void theSearchTextFollowsTheNameEmailAndFullNameLowerCased() {
        projection.handleAt(REGISTERED, new UserCreated(ann, "Ann", "Ann@Lab", null, Role.REGULAR));
        assertThat(searchText(ann)).isEqualTo("ann ann@lab");

        projection.handleAt(LATER, new UserProfileUpdated(ann, null, "Ann LEE"));
        assertThat(searchText(ann)).isEqualTo("ann ann@lab ann lee");

        projection.handleAt(LATER, new UserProfileUpdated(ann, "ann@Elsewhere", null));
        assertThat(searchText(ann)).isEqualTo("ann ann@elsewhere ann lee");
    }

    private String searchText(UserId user) {
        return jdbc.queryForObject("SELECT search_text FROM users_view WHERE user_id = ?", String.class, user.value());
    }

    @Test
    void aRoleChangeAndAProfileUpdateChangeOnlyWhatTheyCarry() {
        projection.handleAt(REGISTERED, new UserCreated(ann, "ann", "ann@lab", "Ann Lee", Role.REGULAR));

        projection.handleAt(LATER, new UserRoleChanged(ann, Role.REGULAR, Role.ADMIN),
                new UserProfileUpdated(ann, null, "Ann Lee-Smith"));
        users().containsExactly(tuple(ann.value(), "ann", "ann@lab", "Ann Lee-Smith", "ADMIN", "ACTIVE",
                stored(REGISTERED), null, null));

        projection.handleAt(LATER, new UserProfileUpdated(ann, "ann@elsewhere", null));
        users().containsExactly(tuple(ann.value(), "ann", "ann@elsewhere", "Ann Lee-Smith", "ADMIN", "ACTIVE",
                stored(REGISTERED), null, null));
    }

    @Test
    void aWholeHistoryOfTwoUsersInterleavedInOneBatchGivesEachItsOwnRow() {
        UserId bob = UserId.random();

        projection.handleAt(REGISTERED,
                new UserRegistered(ann, "ann", "ann@lab", "Ann Lee"),
                new UserCreated(bob, "bob", "bob@lab", "Bob Ray", Role.REGULAR),
                approval(ann),
                new UserDisabled(bob),
                new UserRoleChanged(ann, Role.REGULAR, Role.QVP),
                new UserEnabled(bob),
                new UserDisabled(ann),
                new UserDeleted(bob, null));

        users().containsExactlyInAnyOrder(
                tuple(ann.value(), "ann", "ann@lab", "Ann Lee", "QVP", "DISABLED", stored(REGISTERED),
                        stored(REGISTERED), admin.value()),
                tuple(bob.value(), "bob", "bob@lab", "Bob Ray", "REGULAR", "DELETED", stored(REGISTERED),
                        null, null));
    }

    /** Every write is idempotent so that a replay over rows that are still there rebuilds them. */
    @Test
    void aReplayedRegistrationStartsTheRowAfreshOverTheStateItFinds() {
        projection.handleAt(REGISTERED, new UserRegistered(ann, "ann", "ann@lab", "Ann Lee"));
        projection.handleAt(LATER, approval(ann), new UserRoleChanged(ann, Role.REGULAR, Role.ADMIN),
                new UserProfileUpdated(ann, "new@lab", "Ann New"));

        projection.handleAt(REGISTERED, new UserRegistered(ann, "ann", "ann@lab", "Ann Lee"));

        users().containsExactly(tuple(ann.value(), "ann", "ann@lab", "Ann Lee", "REGULAR", "PENDING",
                stored(REGISTERED), null, null));
    }

    @Test
    void anEventForAUserWithoutARowWritesNone() {
        projection.handleAt(LATER, new UserDisabled(ann), approval(ann), new UserProfileUpdated(ann, "x@lab", null));

        users().isEmpty();
    }

    @Test
    void aResetEmptiesTheTable() {
        projection.handleAt(REGISTERED, new UserRegistered(ann, "ann", "ann@lab", "Ann Lee"),
                new UserCreated(admin, "root", "root@lab", null, Role.ADMIN));

        projection.reset();

        users().isEmpty();
    }

    private UserApproved approval(UserId user) {
        return new UserApproved(user, admin, "ann", OperationId.random(), null, 1);
    }

    private String status(UserId user) {
        return jdbc.queryForObject("SELECT status FROM users_view WHERE user_id = ?", String.class, user.value());
    }


    private AbstractListAssert<?, List<? extends Tuple>, Tuple, ObjectAssert<Tuple>> users() {
        return assertThat(jdbc.queryForList("SELECT * FROM users_view")).extracting("user_id", "username", "email",
                "full_name", "role", "status", "created_at", "approved_at", "approved_by");
    }
}
