package com.gpudash.api.user;

public record UserEnabled(UserId userId) {
}
