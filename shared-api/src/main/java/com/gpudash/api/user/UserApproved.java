package com.gpudash.api.user;

/** {@code approvedBy} is part of the user as the contract shows it, so it is domain data, not audit metadata. */
public record UserApproved(UserId userId, UserId approvedBy) {
}
