package com.gpudash.api.user;

public enum Role {
    ADMIN,
    QVP,
    REGULAR
}
