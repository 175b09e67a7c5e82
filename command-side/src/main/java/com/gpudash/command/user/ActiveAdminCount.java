package com.gpudash.command.user;

/**
 * How many users are ACTIVE admins right now. A {@link User} sees only itself, so it asks this before it lets
 * an active admin be demoted, disabled or deleted. The count holds until the command's transaction ends: a second
 * command that asks meanwhile waits and then counts the first one's change.
 */
public interface ActiveAdminCount {

    long activeAdmins();
}
