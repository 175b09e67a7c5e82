package com.gpudash.api.user;

public enum UserStatus {
    /** Registered and waiting for an admin's decision. */
    PENDING,
    /** May log in. */
    ACTIVE,
    /** An admin declined the registration; an admin may still approve it later. */
    REJECTED,
    /** Was active; an admin switched the account off for now. */
    DISABLED,
    /** Gone for good; the user's history stays. */
    DELETED
}
