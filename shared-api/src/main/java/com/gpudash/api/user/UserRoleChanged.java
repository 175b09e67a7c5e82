package com.gpudash.api.user;

public record UserRoleChanged(UserId userId, Role previousRole, Role role) {
}
