package com.gpudash.command.user;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.gpudash.api.DomainException;
import com.gpudash.api.user.ApproveUser;
import com.gpudash.api.user.ChangePassword;
import com.gpudash.api.user.CreateUser;
import com.gpudash.api.user.DeleteUser;
import com.gpudash.api.user.PasswordChanged;
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
import com.gpudash.command.AggregateStorage;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static com.gpudash.api.user.UserStatus.ACTIVE;
import static com.gpudash.api.user.UserStatus.DELETED;
import static com.gpudash.api.user.UserStatus.DISABLED;
import static com.gpudash.api.user.UserStatus.PENDING;
import static com.gpudash.api.user.UserStatus.REJECTED;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A user account and the rules of its life cycle.
 * <p>
 * A deleted user is not {@code markDeleted()}: its history stays readable, and a command sent to it is refused
 * as a conflict that names its status rather than failing as an unknown aggregate.
 */
@Aggregate(snapshotTriggerDefinition = AggregateStorage.SNAPSHOT_TRIGGER, cache = AggregateStorage.USER_CACHE)
@Revision("2")
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
class User {

    private static final Set<UserStatus> NOT_DELETED = EnumSet.complementOf(EnumSet.of(DELETED));

    @AggregateIdentifier
    private UserId userId;
    /** Kept for the container an approval asks for: usernames never change. */
    private String username;
    private UserStatus status;
    private Role role;
    private String email;
    private String fullName;

    User() {
        // Axon rebuilds the aggregate from its events, starting from this constructor.
    }

    @CommandHandler
    User(RegisterUser command, CredentialStore credentials) {
        credentials.store(command.userId(), command.passwordHash());
        apply(new UserRegistered(command.userId(), command.username(), command.email(), command.fullName()));
    }

    @CommandHandler
    User(CreateUser command, CredentialStore credentials) {
        credentials.store(command.userId(), command.passwordHash());
        apply(new UserCreated(command.userId(), command.username(), command.email(), command.fullName(),
                command.role()));
    }

    /**
     * A rejected user may still be approved: an admin may change their mind. The approval asks for the user's
     * container; a refusal of that request fails the provisioning, not the approval.
     */
    @CommandHandler
    void handle(ApproveUser command) {
        requireStatus("approval", EnumSet.of(PENDING, REJECTED));
        if (command.gpuCount() < 0) {
            throw DomainException.invalid("gpuCount must not be negative, got " + command.gpuCount());
        }
        apply(new UserApproved(userId, command.approvedBy(), username, command.provisioningId(),
                command.requestedServerId(), command.gpuCount()));
    }

    @CommandHandler
    void handle(RejectUser command) {
        requireStatus("rejection", EnumSet.of(PENDING));
        apply(new UserRejected(userId, command.reason()));
    }

    /**
     * Every part that differs is checked before any is recorded: a DELETED user, a status change the current status
     * does not allow, or the last ACTIVE admin losing the role or the status refuses the whole edit, and nothing of
     * it is stored. The parts that pass are recorded in the order profile, role, status.
     */
    @CommandHandler
    void handle(UpdateUser command, ActiveAdminCount activeAdminCount) {
        requireStatus("an update", NOT_DELETED);
        String changedEmail = changedOrNull(email, command.email());
        String changedFullName = changedOrNull(fullName, command.fullName());
        boolean roleChanges = command.role() != null && command.role() != role;
        UserStatus newStatus = command.status() == null || command.status() == status ? null : command.status();
        if (newStatus == ACTIVE) {
            requireStatus("enabling", EnumSet.of(DISABLED));
        } else if (newStatus == DISABLED) {
            requireStatus("disabling", EnumSet.of(ACTIVE));
        } else if (newStatus != null) {
            throw DomainException.invalid("A user's status can be set to ACTIVE or DISABLED only, not " + newStatus);
        }
        if (roleChanges) {
            requireNotLastActiveAdmin("demoted", activeAdminCount);
        } else if (newStatus == DISABLED) {
            requireNotLastActiveAdmin("disabled", activeAdminCount);
        }
        if (changedEmail != null || changedFullName != null) {
            apply(new UserProfileUpdated(userId, changedEmail, changedFullName));
        }
        if (roleChanges) {
            apply(new UserRoleChanged(userId, role, command.role()));
        }
        if (newStatus == ACTIVE) {
            apply(new UserEnabled(userId));
        } else if (newStatus == DISABLED) {
            apply(new UserDisabled(userId));
        }
    }

    @CommandHandler
    void handle(DeleteUser command, ActiveAdminCount activeAdminCount) {
        requireStatus("deletion", NOT_DELETED);
        requireNotLastActiveAdmin("deleted", activeAdminCount);
        apply(new UserDeleted(userId, command.removalId()));
    }

    /**
     * Allowed in every status but DELETED: a password does not let anyone in unless the user is ACTIVE, and an
     * admin may want a pending or disabled user to start with a fresh one.
     */
    @CommandHandler
    void handle(ResetPassword command, CredentialStore credentials) {
        requireStatus("a password reset", NOT_DELETED);
        credentials.store(userId, command.passwordHash());
        apply(new PasswordReset(userId));
    }

    /** Only an ACTIVE user can log in, so a change from any other status comes from a session that is stale. */
    @CommandHandler
    void handle(ChangePassword command, CredentialStore credentials) {
        requireStatus("a password change", EnumSet.of(ACTIVE));
        credentials.store(userId, command.passwordHash());
        apply(new PasswordChanged(userId));
    }

    private void requireStatus(String action, Set<UserStatus> allowed) {
        if (!allowed.contains(status)) {
            String statuses = allowed.stream().map(UserStatus::name).collect(Collectors.joining(" or "));
            throw DomainException.conflict(
                    "User %s is %s; %s requires status %s".formatted(userId, status, action, statuses));
        }
    }

    /** Someone must always be able to manage users. */
    private void requireNotLastActiveAdmin(String outcome, ActiveAdminCount activeAdminCount) {
        if (status == ACTIVE && role == Role.ADMIN && activeAdminCount.activeAdmins() <= 1) {
            throw DomainException.conflict(
                    "User %s is the last ACTIVE admin and cannot be %s".formatted(userId, outcome));
        }
    }

    private static String changedOrNull(String current, String requested) {
        return requested == null || requested.equals(current) ? null : requested;
    }

    @EventSourcingHandler
    void on(UserRegistered event) {
        userId = event.userId();
        username = event.username();
        status = PENDING;
        role = Role.REGULAR;
        email = event.email();
        fullName = event.fullName();
    }

    @EventSourcingHandler
    void on(UserCreated event) {
        userId = event.userId();
        username = event.username();
        status = ACTIVE;
        role = event.role();
        email = event.email();
        fullName = event.fullName();
    }

    @EventSourcingHandler
    void on(UserApproved event) {
        status = ACTIVE;
    }

    @EventSourcingHandler
    void on(UserRejected event) {
        status = REJECTED;
    }

    @EventSourcingHandler
    void on(UserProfileUpdated event) {
        if (event.email() != null) {
            email = event.email();
        }
        if (event.fullName() != null) {
            fullName = event.fullName();
        }
    }

    @EventSourcingHandler
    void on(UserRoleChanged event) {
        role = event.role();
    }

    @EventSourcingHandler
    void on(UserDisabled event) {
        status = DISABLED;
    }

    @EventSourcingHandler
    void on(UserEnabled event) {
        status = ACTIVE;
    }

    @EventSourcingHandler
    void on(UserDeleted event) {
        status = DELETED;
    }
}
