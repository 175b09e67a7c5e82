package com.gpudash.command.user;

import com.gpudash.api.user.PasswordHash;
import reactor.core.publisher.Mono;

/**
 * Hashes and checks passwords. Hashing is deliberately slow, so both answers arrive later, computed off the
 * request threads.
 */
public interface PasswordHasher {

    Mono<PasswordHash> hash(String password);

    /**
     * Whether {@code password} is the one behind {@code hash}. With no hash (an unknown user) it does the same
     * work against a dummy hash and answers false, so that the answer's timing does not tell whether a user exists.
     */
    Mono<Boolean> matches(String password, PasswordHash hash);
}
