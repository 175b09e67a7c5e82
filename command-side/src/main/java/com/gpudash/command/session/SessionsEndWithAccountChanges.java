package com.gpudash.command.session;

import com.gpudash.api.user.PasswordChanged;
import com.gpudash.api.user.PasswordReset;
import com.gpudash.api.user.UserDeleted;
import com.gpudash.api.user.UserDisabled;
import com.gpudash.api.user.UserRoleChanged;
import com.gpudash.command.user.UserAccounts;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * A user's sessions end with the change that should end them, in the same transaction: once a password reset
 * has committed, no session opened with the old password is left.
 */
@Component
@ProcessingGroup(UserAccounts.PROCESSING_GROUP)
class SessionsEndWithAccountChanges {

    private final Sessions sessions;

    SessionsEndWithAccountChanges(Sessions sessions) {
        this.sessions = sessions;
    }

    @EventHandler
    void on(PasswordReset event) {
        sessions.endAll(event.userId());
    }

    /** The session that changed the password ends too: the client logs in again with the new one. */
    @EventHandler
    void on(PasswordChanged event) {
        sessions.endAll(event.userId());
    }

    @EventHandler
    void on(UserDisabled event) {
        sessions.endAll(event.userId());
    }

    @EventHandler
    void on(UserRoleChanged event) {
        sessions.endAll(event.userId());
    }

    @EventHandler
    void on(UserDeleted event) {
        sessions.endAll(event.userId());
    }
}
