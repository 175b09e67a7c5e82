package com.gpudash.query.user;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.gpudash.api.container.ContainerView;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.UserId;
import com.gpudash.api.user.UserStatus;
import com.gpudash.api.user.UserView;
import com.gpudash.query.container.ContainerViews;
import com.gpudash.query.web.UtcTime;
import io.r2dbc.spi.Readable;
import com.gpudash.api.user.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** Users as the contract shows them, each with their container object (null when they have none). */
@Component
public class UserViews {

    static final String COLUMNS =
            "user_id, username, email, full_name, role, status, created_at, approved_at, approved_by";

    private final DatabaseClient database;
    private final ContainerViews containers;

    UserViews(DatabaseClient database, ContainerViews containers) {
        this.database = database;
        this.containers = containers;
    }

    public Mono<UserView> find(UserId userId) {
        return database.sql("SELECT " + COLUMNS + " FROM users_view WHERE user_id = :id")
                .bind("id", userId.value())
                .map(UserViews::view)
                .one()
                .flatMap(user -> containers.ofUser(userId)
                        .map(container -> withContainer(user, container))
                        .defaultIfEmpty(user));
    }

    /**
     * The signed-in caller. Their session proves the account is ACTIVE; reads wait for the projections to apply
     * the writes acknowledged before them, so the row agrees unless the users projection is stuck.
     */
    public Mono<UserView> caller(Caller caller) {
        return find(caller.userId())
                .filter(user -> user.status() == UserStatus.ACTIVE && user.role() == caller.role())
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                        "The users read model does not show this account as its session does yet; try again")));
    }

    /** Adds their containers to a page of users with one query. */
    Mono<List<UserView>> withContainers(List<UserView> users) {
        return containers.ofUsers(users.stream().map(UserView::id).toList())
                .collectMap(ContainerView::userId, Function.identity())
                .map(byUser -> users.stream()
                        .map(user -> byUser.containsKey(user.id()) ? withContainer(user, byUser.get(user.id())) : user)
                        .collect(Collectors.toList()));
    }

    private static UserView withContainer(UserView user, ContainerView container) {
        return new UserView(user.id(), user.username(), user.email(), user.fullName(), user.role(), user.status(),
                user.createdAt(), user.approvedAt(), user.approvedBy(), container);
    }

    static UserView view(Readable row) {
        String approvedBy = row.get("approved_by", String.class);
        return new UserView(UserId.of(row.get("user_id", String.class)), row.get("username", String.class),
                row.get("email", String.class), row.get("full_name", String.class),
                Role.valueOf(row.get("role", String.class)), UserStatus.valueOf(row.get("status", String.class)),
                UtcTime.instant(row.get("created_at", LocalDateTime.class)),
                UtcTime.instant(row.get("approved_at", LocalDateTime.class)),
                approvedBy == null ? null : UserId.of(approvedBy), null);
    }
}
