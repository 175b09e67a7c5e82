package com.gpudash.command.user;

import com.gpudash.api.DomainException;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.ApproveUser;
import com.gpudash.api.user.ChangePassword;
import com.gpudash.api.user.CreateUser;
import com.gpudash.api.user.DeleteUser;
import com.gpudash.api.user.PasswordChanged;
import com.gpudash.api.user.PasswordHash;
import com.gpudash.api.user.PasswordReset;
import com.gpudash.api.user.RegisterUser;
import com.gpudash.api.user.RejectUser;
import com.gpudash.api.user.ResetPassword;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.UpdateUser;
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
import com.gpudash.api.user.UserStatus;
import com.gpudash.command.user.InMemoryCredentialStore.Write;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static com.gpudash.api.user.UserStatus.ACTIVE;
import static com.gpudash.api.user.UserStatus.DELETED;
import static com.gpudash.api.user.UserStatus.DISABLED;
import static com.gpudash.api.user.UserStatus.PENDING;
import static com.gpudash.api.user.UserStatus.REJECTED;
import static com.gpudash.command.DomainRefusals.expectConflict;
import static com.gpudash.command.DomainRefusals.withReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class UserTest {

    private static final UserId USER = UserId.of("6a1c2f0e-3b4d-4c5e-8f70-9a8b7c6d5e4f");
    private static final UserId APPROVER = UserId.of("0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b");
    // The aggregate passes hashes on without reading them; any distinct strings will do.
    private static final PasswordHash HASH = new PasswordHash("$2a$10$first.hash");
    private static final PasswordHash NEW_HASH = new PasswordHash("$2a$10$second.hash");
    private static final String USERNAME = "ada";
    private static final String EMAIL = "ada@example.org";
    private static final String FULL_NAME = "Ada Lovelace";
    private static final OperationId PROVISIONING = OperationId.of("5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a");
    private static final OperationId REMOVAL = OperationId.of("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
    private static final ServerId SERVER = ServerId.of("2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f");

    private FixtureConfiguration<User> fixture;
    private InMemoryCredentialStore credentials;
    /** One active admin, and not the user under test unless a test makes it so. */
    private long activeAdmins = 1;

    @BeforeEach
    void setUp() {
        credentials = new InMemoryCredentialStore();
        fixture = new AggregateTestFixture<>(User.class);
        fixture.registerInjectableResource(credentials);
        fixture.registerInjectableResource((ActiveAdminCount) () -> activeAdmins);
    }

    @Nested
    class Registration {

        @Test
        void registersAPendingUserAndStoresTheHash() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterUser(USER, USERNAME, EMAIL, FULL_NAME, HASH))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(registered());

            assertThat(credentials.writes()).containsExactly(new Write(USER, HASH));
        }

        @Test
        void aRegisteredUserIsRegular() {
            fixture.given(registered())
                    .when(role(Role.REGULAR))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void createsAnActiveUserWithTheChosenRoleAndStoresTheHash() {
            fixture.givenNoPriorActivity()
                    .when(new CreateUser(USER, USERNAME, EMAIL, FULL_NAME, Role.QVP, HASH))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(created(Role.QVP));

            assertThat(credentials.writes()).containsExactly(new Write(USER, HASH));
        }

        @Test
        void aCreatedUserHasTheChosenRole() {
            fixture.given(created(Role.QVP))
                    .when(role(Role.QVP))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aCreatedUserIsActiveAtOnce() {
            fixture.given(created(Role.REGULAR))
                    .when(disabling())
                    .expectEvents(new UserDisabled(USER));
        }

        @Test
        void aCreatedUserNeedsNoApproval() {
            expectConflict(fixture.given(created(Role.REGULAR))
                            .when(new ApproveUser(USER, APPROVER, PROVISIONING, SERVER, 1)),
                    containsString("is ACTIVE; approval requires status PENDING or REJECTED"));
        }
    }

    /**
     * Every command but the two that create a user, from every status. The user is REGULAR, so the last-admin
     * rule stays out of the way; {@link LastActiveAdmin} covers it.
     */
    @Nested
    class Transitions {

        @ParameterizedTest(name = "{0} user: {1}")
        @MethodSource("allowedTransitions")
        void allowed(UserStatus from, Object command, Object expectedEvent) {
            fixture.given(historyOf(from))
                    .when(command)
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(expectedEvent);
        }

        @ParameterizedTest(name = "{0} user: {1}")
        @MethodSource("refusedTransitions")
        void refused(UserStatus from, Object command) {
            expectConflict(fixture.given(historyOf(from)).when(command),
                    allOf(containsString("User " + USER + " is " + from + ";"), containsString("requires status")));

            assertThat(credentials.writes()).isEmpty();
        }

        /** Setting the status a user already has is no transition: nothing to refuse, nothing to record. */
        @ParameterizedTest(name = "{0} user: {1}")
        @MethodSource("unchangedStatuses")
        void unchanged(UserStatus from, Object command) {
            fixture.given(historyOf(from))
                    .when(command)
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void theMatrixHoldsEveryStatusAndCommandExactlyOnce() {
            Set<String> pairs = new HashSet<>();
            Stream.of(allowedTransitions(), refusedTransitions(), unchangedStatuses()).flatMap(s -> s)
                    .forEach(arguments -> {
                        Object[] values = arguments.get();
                        assertThat(pairs.add(values[0] + " " + values[1])).as("%s %s twice", values[0], values[1])
                                .isTrue();
                    });
            Set<String> everyPair = new HashSet<>();
            for (UserStatus status : UserStatus.values()) {
                commands().forEach(command -> everyPair.add(status + " " + command));
            }
            assertThat(pairs).isEqualTo(everyPair);
        }

        @Test
        void aDeletedUserIsRefusedEvenAChangeThatChangesNothing() {
            expectConflict(fixture.given(historyOf(DELETED)).when(profile(EMAIL, FULL_NAME)),
                    containsString("is DELETED;"));
        }

        private static List<Object> historyOf(UserStatus status) {
            return switch (status) {
                case PENDING -> List.of(registered());
                case ACTIVE -> List.of(registered(), approved());
                case REJECTED -> List.of(registered(), new UserRejected(USER, null));
                case DISABLED -> List.of(registered(), approved(), new UserDisabled(USER));
                case DELETED -> List.of(registered(), approved(), new UserDeleted(USER, REMOVAL));
            };
        }

        static Stream<Arguments> allowedTransitions() {
            return Stream.of(
                    arguments(PENDING, approve(), approved()),
                    arguments(PENDING, reject(), new UserRejected(USER, "not a member of the lab")),
                    arguments(PENDING, delete(), new UserDeleted(USER, REMOVAL)),
                    arguments(PENDING, updateProfile(), profileUpdated()),
                    arguments(PENDING, changeRole(), roleChanged()),
                    arguments(PENDING, resetPassword(), new PasswordReset(USER)),

                    arguments(ACTIVE, disable(), new UserDisabled(USER)),
                    arguments(ACTIVE, delete(), new UserDeleted(USER, REMOVAL)),
                    arguments(ACTIVE, updateProfile(), profileUpdated()),
                    arguments(ACTIVE, changeRole(), roleChanged()),
                    arguments(ACTIVE, resetPassword(), new PasswordReset(USER)),
                    arguments(ACTIVE, changePassword(), new PasswordChanged(USER)),

                    arguments(REJECTED, approve(), approved()),
                    arguments(REJECTED, delete(), new UserDeleted(USER, REMOVAL)),
                    arguments(REJECTED, updateProfile(), profileUpdated()),
                    arguments(REJECTED, changeRole(), roleChanged()),
                    arguments(REJECTED, resetPassword(), new PasswordReset(USER)),

                    arguments(DISABLED, enable(), new UserEnabled(USER)),
                    arguments(DISABLED, delete(), new UserDeleted(USER, REMOVAL)),
                    arguments(DISABLED, updateProfile(), profileUpdated()),
                    arguments(DISABLED, changeRole(), roleChanged()),
                    arguments(DISABLED, resetPassword(), new PasswordReset(USER)));
        }

        static Stream<Arguments> unchangedStatuses() {
            return Stream.of(arguments(ACTIVE, enable()), arguments(DISABLED, disable()));
        }

        static Stream<Arguments> refusedTransitions() {
            return Stream.of(
                    arguments(PENDING, disable()),
                    arguments(PENDING, enable()),
                    arguments(PENDING, changePassword()),

                    arguments(ACTIVE, approve()),
                    arguments(ACTIVE, reject()),

                    arguments(REJECTED, reject()),
                    arguments(REJECTED, disable()),
                    arguments(REJECTED, enable()),
                    arguments(REJECTED, changePassword()),

                    arguments(DISABLED, approve()),
                    arguments(DISABLED, reject()),
                    arguments(DISABLED, changePassword()),

                    arguments(DELETED, approve()),
                    arguments(DELETED, reject()),
                    arguments(DELETED, disable()),
                    arguments(DELETED, enable()),
                    arguments(DELETED, delete()),
                    arguments(DELETED, updateProfile()),
                    arguments(DELETED, changeRole()),
                    arguments(DELETED, resetPassword()),
                    arguments(DELETED, changePassword()));
        }

        private static List<Object> commands() {
            return List.of(approve(), reject(), disable(), enable(), delete(), updateProfile(), changeRole(),
                    resetPassword(), changePassword());
        }

        // Named so that a failing case reads "ACTIVE user: ApproveUser", not the record's whole toString.
        private static Object approve() {
            return named("ApproveUser", new ApproveUser(USER, APPROVER, PROVISIONING, SERVER, 1));
        }

        private static Object reject() {
            return named("RejectUser", new RejectUser(USER, "not a member of the lab"));
        }

        private static Object disable() {
            return named("UpdateUser to DISABLED", disabling());
        }

        private static Object enable() {
            return named("UpdateUser to ACTIVE", enabling());
        }

        private static Object delete() {
            return named("DeleteUser", new DeleteUser(USER, REMOVAL));
        }

        private static Object updateProfile() {
            return named("UpdateUser of the e-mail", profile("ada@lab.example.org", null));
        }

        private static UserProfileUpdated profileUpdated() {
            return new UserProfileUpdated(USER, "ada@lab.example.org", null);
        }

        private static Object changeRole() {
            return named("UpdateUser of the role", role(Role.QVP));
        }

        private static UserRoleChanged roleChanged() {
            return new UserRoleChanged(USER, Role.REGULAR, Role.QVP);
        }

        private static Object resetPassword() {
            return named("ResetPassword", new ResetPassword(USER, HASH));
        }

        private static Object changePassword() {
            return named("ChangePassword", new ChangePassword(USER, HASH));
        }
    }

    /** The approval and the deletion carry what the user's container needs, since they are all the endpoints send. */
    @Nested
    class Container {

        @Test
        void theApprovalAsksForTheContainerUnderTheRegisteredUsername() {
            fixture.given(registered())
                    .when(new ApproveUser(USER, APPROVER, PROVISIONING, null, 0))
                    .expectEvents(new UserApproved(USER, APPROVER, USERNAME, PROVISIONING, null, 0));
        }

        @Test
        void aNegativeGpuCountIsRefusedBeforeTheUserIsApproved() {
            fixture.given(registered())
                    .when(new ApproveUser(USER, APPROVER, PROVISIONING, SERVER, -1))
                    .expectException(withReason(DomainException.Reason.INVALID))
                    .expectNoEvents();
        }

        @Test
        void theDeletionNamesTheRemovalOfTheContainer() {
            fixture.given(registered(), approved())
                    .when(new DeleteUser(USER, REMOVAL))
                    .expectEvents(new UserDeleted(USER, REMOVAL));
        }
    }

    @Nested
    class Profile {

        @Test
        void recordsOnlyTheFieldsThatChange() {
            fixture.given(registered())
                    .when(profile(EMAIL, "Augusta Ada King"))
                    .expectEvents(new UserProfileUpdated(USER, null, "Augusta Ada King"));
        }

        @Test
        void recordsBothFieldsWhenBothChange() {
            fixture.given(registered())
                    .when(profile("ada@lab.example.org", "Augusta Ada King"))
                    .expectEvents(new UserProfileUpdated(USER, "ada@lab.example.org", "Augusta Ada King"));
        }

        @Test
        void nullFieldsChangeNothing() {
            fixture.given(registered())
                    .when(profile(null, null))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void identicalValuesChangeNothing() {
            fixture.given(registered())
                    .when(profile(EMAIL, FULL_NAME))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void comparesWithTheProfileAsLastUpdated() {
            fixture.given(registered(), new UserProfileUpdated(USER, "ada@lab.example.org", null))
                    .when(profile("ada@lab.example.org", FULL_NAME))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void setsAFullNameThatRegistrationLeftOut() {
            fixture.given(new UserRegistered(USER, USERNAME, EMAIL, null))
                    .when(profile(EMAIL, FULL_NAME))
                    .expectEvents(new UserProfileUpdated(USER, null, FULL_NAME));
        }
    }

    @Nested
    class Roles {

        @Test
        void recordsThePreviousAndTheNewRole() {
            fixture.given(created(Role.QVP))
                    .when(role(Role.ADMIN))
                    .expectEvents(new UserRoleChanged(USER, Role.QVP, Role.ADMIN));
        }

        @Test
        void theSameRoleChangesNothing() {
            fixture.given(created(Role.QVP))
                    .when(role(Role.QVP))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void comparesWithTheRoleAsLastChanged() {
            fixture.given(created(Role.REGULAR), new UserRoleChanged(USER, Role.REGULAR, Role.QVP))
                    .when(role(Role.QVP))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }

    /** An admin's edit with several parts: all of them or none. */
    @Nested
    class WholeEdit {

        @Test
        void recordsEveryPartThatChangesInTheOrderProfileRoleStatus() {
            activeAdmins = 2;
            fixture.given(created(Role.ADMIN))
                    .when(new UpdateUser(USER, "ada@lab.example.org", FULL_NAME, Role.QVP, UserStatus.DISABLED))
                    .expectEvents(new UserProfileUpdated(USER, "ada@lab.example.org", null),
                            new UserRoleChanged(USER, Role.ADMIN, Role.QVP), new UserDisabled(USER));
        }

        @Test
        void aRefusedDemotionStoresNoneOfTheProfileChange() {
            activeAdmins = 1;
            expectConflict(fixture.given(created(Role.ADMIN))
                            .when(new UpdateUser(USER, "ada@lab.example.org", "Augusta Ada King", Role.REGULAR, null)),
                    containsString("is the last ACTIVE admin and cannot be demoted"));
        }

        @Test
        void aRefusedStatusChangeStoresNoneOfTheProfileOrRoleChange() {
            expectConflict(fixture.given(registered())
                            .when(new UpdateUser(USER, "ada@lab.example.org", null, Role.QVP, UserStatus.DISABLED)),
                    containsString("disabling requires status ACTIVE"));
        }

        @Test
        void demotingAndDisablingTheLastAdminIsRefusedOnce() {
            activeAdmins = 1;
            expectConflict(fixture.given(created(Role.ADMIN))
                            .when(new UpdateUser(USER, null, null, Role.QVP, UserStatus.DISABLED)),
                    containsString("is the last ACTIVE admin and cannot be demoted"));
        }

        @Test
        void aRegularUserMayBePromotedAndDisabledInOneEdit() {
            activeAdmins = 1;
            fixture.given(created(Role.REGULAR))
                    .when(new UpdateUser(USER, null, null, Role.ADMIN, UserStatus.DISABLED))
                    .expectEvents(new UserRoleChanged(USER, Role.REGULAR, Role.ADMIN), new UserDisabled(USER));
        }

        @Test
        void theStatusAUserAlreadyHasChangesNothing() {
            fixture.given(created(Role.REGULAR))
                    .when(new UpdateUser(USER, null, null, null, UserStatus.ACTIVE))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
            fixture.given(created(Role.REGULAR), new UserDisabled(USER))
                    .when(new UpdateUser(USER, null, null, null, UserStatus.DISABLED))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void noStatusButActiveOrDisabledCanBeSet() {
            fixture.given(registered())
                    .when(new UpdateUser(USER, "ada@lab.example.org", null, null, UserStatus.REJECTED))
                    .expectException(DomainException.class)
                    .expectExceptionMessage(containsString("ACTIVE or DISABLED only"))
                    .expectNoEvents();
        }
    }

    @Nested
    class LastActiveAdmin {

        @Test
        void cannotBeDemoted() {
            activeAdmins = 1;
            expectConflict(fixture.given(created(Role.ADMIN)).when(role(Role.REGULAR)),
                    containsString("is the last ACTIVE admin and cannot be demoted"));
        }

        @Test
        void cannotBeDisabled() {
            activeAdmins = 1;
            expectConflict(fixture.given(created(Role.ADMIN)).when(disabling()),
                    containsString("is the last ACTIVE admin and cannot be disabled"));
        }

        @Test
        void cannotBeDeleted() {
            activeAdmins = 1;
            expectConflict(fixture.given(created(Role.ADMIN)).when(new DeleteUser(USER, REMOVAL)),
                    containsString("is the last ACTIVE admin and cannot be deleted"));
        }

        @Test
        void mayKeepTheirRole() {
            activeAdmins = 1;
            fixture.given(created(Role.ADMIN))
                    .when(role(Role.ADMIN))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void oneOfTwoMayBeDemoted() {
            activeAdmins = 2;
            fixture.given(created(Role.ADMIN))
                    .when(role(Role.QVP))
                    .expectEvents(new UserRoleChanged(USER, Role.ADMIN, Role.QVP));
        }

        @Test
        void oneOfTwoMayBeDisabled() {
            activeAdmins = 2;
            fixture.given(created(Role.ADMIN))
                    .when(disabling())
                    .expectEvents(new UserDisabled(USER));
        }

        @Test
        void oneOfTwoMayBeDeleted() {
            activeAdmins = 2;
            fixture.given(created(Role.ADMIN))
                    .when(new DeleteUser(USER, REMOVAL))
                    .expectEvents(new UserDeleted(USER, REMOVAL));
        }

        @Test
        void anAdminWhoIsNotActiveDoesNotCount() {
            activeAdmins = 1;
            fixture.given(created(Role.ADMIN), new UserDisabled(USER))
                    .when(new DeleteUser(USER, REMOVAL))
                    .expectEvents(new UserDeleted(USER, REMOVAL));
        }

        @Test
        void aDisabledAdminMayBeDemoted() {
            activeAdmins = 1;
            fixture.given(created(Role.ADMIN), new UserDisabled(USER))
                    .when(role(Role.REGULAR))
                    .expectEvents(new UserRoleChanged(USER, Role.ADMIN, Role.REGULAR));
        }

        @Test
        void aPromotedAndApprovedUserCountsAsAnActiveAdmin() {
            activeAdmins = 1;
            expectConflict(fixture.given(registered(), new UserRoleChanged(USER, Role.REGULAR, Role.ADMIN),
                            approved())
                            .when(disabling()),
                    containsString("is the last ACTIVE admin"));
        }
    }

    @Nested
    class Passwords {

        @Test
        void anAdminResetStoresTheNewHash() {
            fixture.given(created(Role.REGULAR))
                    .when(new ResetPassword(USER, NEW_HASH))
                    .expectEvents(new PasswordReset(USER));

            assertThat(credentials.writes()).containsExactly(new Write(USER, NEW_HASH));
        }

        @Test
        void aResetReachesAPendingUser() {
            fixture.given(registered())
                    .when(new ResetPassword(USER, HASH))
                    .expectEvents(new PasswordReset(USER));

            assertThat(credentials.writes()).containsExactly(new Write(USER, HASH));
        }

        @Test
        void theUsersOwnChangeStoresTheNewHash() {
            fixture.given(created(Role.REGULAR))
                    .when(new ChangePassword(USER, NEW_HASH))
                    .expectEvents(new PasswordChanged(USER));

            assertThat(credentials.writes()).containsExactly(new Write(USER, NEW_HASH));
        }

        @Test
        void aRefusedChangeStoresNothing() {
            expectConflict(fixture.given(created(Role.REGULAR), new UserDisabled(USER))
                            .when(new ChangePassword(USER, HASH)),
                    containsString("is DISABLED; a password change requires status ACTIVE"));

            assertThat(credentials.writes()).isEmpty();
        }

        @Test
        void aRefusedResetStoresNothing() {
            expectConflict(fixture.given(created(Role.REGULAR), new UserDeleted(USER, REMOVAL))
                            .when(new ResetPassword(USER, HASH)),
                    containsString("is DELETED; a password reset requires status"));

            assertThat(credentials.writes()).isEmpty();
        }
    }

    private static UserApproved approved() {
        return new UserApproved(USER, APPROVER, USERNAME, PROVISIONING, SERVER, 1);
    }

    private static UserRegistered registered() {
        return new UserRegistered(USER, USERNAME, EMAIL, FULL_NAME);
    }

    private static UserCreated created(Role role) {
        return new UserCreated(USER, USERNAME, EMAIL, FULL_NAME, role);
    }

    private static UpdateUser profile(String email, String fullName) {
        return new UpdateUser(USER, email, fullName, null, null);
    }

    private static UpdateUser role(Role role) {
        return new UpdateUser(USER, null, null, role, null);
    }

    private static UpdateUser disabling() {
        return new UpdateUser(USER, null, null, null, UserStatus.DISABLED);
    }

    private static UpdateUser enabling() {
        return new UpdateUser(USER, null, null, null, UserStatus.ACTIVE);
    }
}
