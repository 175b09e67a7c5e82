package com.gpudash.api.user;

public record UserDisabled(UserId userId) {
}
