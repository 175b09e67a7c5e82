package com.gpudash.api.user;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import static com.gpudash.api.user.Role.ADMIN;
import static com.gpudash.api.user.Role.QVP;

/**
 * The permissions of the contract's "Roles and permissions" table, and the roles that hold each; and
 * {@link #MANAGE_SYSTEM} for what the contract does not list (rebuilding the read models).
 */
public enum Permission {
    MANAGE_USERS(ADMIN),
    MANAGE_SERVERS(ADMIN),
    VIEW_SERVERS(ADMIN, QVP),
    DELETE_IMAGE(ADMIN),
    BUILD_IMAGES(ADMIN, QVP),
    VIEW_DASHBOARD(ADMIN, QVP),
    VIEW_AUDIT(ADMIN),
    MANAGE_SYSTEM(ADMIN);

    private final Set<Role> roles;

    Permission(Role first, Role... more) {
        this.roles = EnumSet.of(first, more);
    }

    public static Set<Permission> heldBy(Role role) {
        Set<Permission> held = EnumSet.noneOf(Permission.class);
        Arrays.stream(values()).filter(permission -> permission.roles.contains(role)).forEach(held::add);
        return held;
    }
}
