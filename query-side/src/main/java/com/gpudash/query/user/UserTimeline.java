package com.gpudash.query.user;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.gpudash.api.user.Role;
import com.gpudash.api.user.UserApproved;
import com.gpudash.api.user.UserCreated;
import com.gpudash.api.user.UserDeleted;
import com.gpudash.api.user.UserDisabled;
import com.gpudash.api.user.UserEnabled;
import com.gpudash.api.user.UserProfileUpdated;
import com.gpudash.api.user.UserRegistered;
import com.gpudash.api.user.UserRejected;
import com.gpudash.api.user.UserRoleChanged;
import com.gpudash.api.user.UserStatus;
import com.gpudash.api.user.UserView;
import com.gpudash.query.web.UtcTime;
import org.axonframework.eventhandling.DomainEventMessage;

/**
 * A user as their events describe them: the same rules as {@link UsersProjection}, applied in memory to a prefix
 * of the user's events, which is how {@code ?asOf=} answers. TimeTravelTest compares its answers with what the
 * read model said at the same instants, so the two cannot drift apart unnoticed. The container is not part of the user's own
 * events and is left out of a past state.
 */
final class UserTimeline {

    private UserTimeline() {
    }

    /** Empty when the user did not exist yet (no registration or creation among the events). */
    static Optional<UserView> fold(List<DomainEventMessage<?>> events) {
        UserView user = null;
        for (DomainEventMessage<?> event : events) {
            user = apply(user, event.getPayload(), UtcTime.stored(event.getTimestamp()));
        }
        return Optional.ofNullable(user);
    }

    private static UserView apply(UserView user, Object event, Instant at) {
        if (event instanceof UserRegistered registered) {
            return new UserView(registered.userId(), registered.username(), registered.email(),
                    registered.fullName(), Role.REGULAR, UserStatus.PENDING, at, null, null, null);
        }
        if (event instanceof UserCreated created) {
            return new UserView(created.userId(), created.username(), created.email(), created.fullName(),
                    created.role(), UserStatus.ACTIVE, at, null, null, null);
        }
        if (user == null) {
            return null;
        }
        if (event instanceof UserApproved approved) {
            return new UserView(user.id(), user.username(), user.email(), user.fullName(), user.role(),
                    UserStatus.ACTIVE, user.createdAt(), at, approved.approvedBy(), null);
        }
        if (event instanceof UserRejected) {
            return withStatus(user, UserStatus.REJECTED);
        }
        if (event instanceof UserDisabled) {
            return withStatus(user, UserStatus.DISABLED);
        }
        if (event instanceof UserEnabled) {
            return withStatus(user, UserStatus.ACTIVE);
        }
        if (event instanceof UserDeleted) {
            return withStatus(user, UserStatus.DELETED);
        }
        if (event instanceof UserRoleChanged changed) {
            return new UserView(user.id(), user.username(), user.email(), user.fullName(), changed.role(),
                    user.status(), user.createdAt(), user.approvedAt(), user.approvedBy(), null);
        }
        if (event instanceof UserProfileUpdated updated) {
            return new UserView(user.id(), user.username(),
                    updated.email() == null ? user.email() : updated.email(),
                    updated.fullName() == null ? user.fullName() : updated.fullName(),
                    user.role(), user.status(), user.createdAt(), user.approvedAt(), user.approvedBy(), null);
        }
        // Password changes and resets do not show in the user object.
        return user;
    }

    private static UserView withStatus(UserView user, UserStatus status) {
        return new UserView(user.id(), user.username(), user.email(), user.fullName(), user.role(), status,
                user.createdAt(), user.approvedAt(), user.approvedBy(), null);
    }
}
