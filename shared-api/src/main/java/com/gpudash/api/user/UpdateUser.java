package com.gpudash.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An admin's edit of a user: a new e-mail, full name, role or status (ACTIVE or DISABLED), each left as it is when
 * null. The parts are checked together and recorded together, so a refused part refuses the whole edit.
 */
public record UpdateUser(@TargetAggregateIdentifier UserId userId, String email, String fullName, Role role,
                         UserStatus status) {
}
