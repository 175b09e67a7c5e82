package com.gpudash.api.user;

public record UserDeleted(UserId userId) {
}
