package com.gpudash.api.audit;

import com.gpudash.api.user.UserId;

/** A session was ended by its user. */
public record LoggedOut(UserId userId, String username) {
}
