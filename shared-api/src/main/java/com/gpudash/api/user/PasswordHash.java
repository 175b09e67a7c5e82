package com.gpudash.api.user;

import java.util.Objects;

/**
 * A bcrypt hash on its way to the credential store. Only commands carry it (commands are never stored);
 * events record that a password was set, never the hash.
 */
public record PasswordHash(String value) {

    public PasswordHash {
        Objects.requireNonNull(value, "password hash");
    }

    // Commands end up in logs and exception messages; the hash must not.
    @Override
    public String toString() {
        return "PasswordHash[****]";
    }
}
