package com.gpudash.command.user;

import com.gpudash.api.user.PasswordHash;
import com.gpudash.api.user.UserId;

import java.util.ArrayList;
import java.util.List;

/** Remembers every write, in order, so that a test sees both what was stored and that nothing was. */
class InMemoryCredentialStore implements CredentialStore {

    record Write(UserId userId, PasswordHash passwordHash) {
    }

    private final List<Write> writes = new ArrayList<>();

    @Override
    public void store(UserId userId, PasswordHash passwordHash) {
        writes.add(new Write(userId, passwordHash));
    }

    List<Write> writes() {
        return List.copyOf(writes);
    }
}
