package com.gpudash.command.user;

import com.gpudash.api.user.PasswordHash;
import com.gpudash.api.user.UserId;

/**
 * Where password hashes live, outside the event store. A {@link User} calls it from its command handler, so the
 * hash is written in the same transaction as the event that records the change: both commit or neither does.
 */
public interface CredentialStore {

    void store(UserId userId, PasswordHash passwordHash);
}
