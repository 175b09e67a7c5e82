package com.gpudash.command.user;

/**
 * How many users are ACTIVE admins right now. A {@link User} sees only itself, so it asks this before it lets
 * an active admin be demoted, disabled or deleted.
 */
public interface ActiveAdminCount {

    long activeAdmins();
}
