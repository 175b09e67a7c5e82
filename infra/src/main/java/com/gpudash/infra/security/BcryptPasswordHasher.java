package com.gpudash.infra.security;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.gpudash.api.user.PasswordHash;
import com.gpudash.command.user.PasswordHasher;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * bcrypt with the configured cost, on a scheduler of its own: one thread per core, since hashing is pure CPU,
 * and a bounded queue, so a flood of logins is refused (503) rather than queued without end and never on the
 * event loop.
 */
@Component
class BcryptPasswordHasher implements PasswordHasher, DisposableBean {

    private static final int QUEUE_LIMIT = 1024;

    private final BCryptPasswordEncoder encoder;
    private final Scheduler scheduler;
    private final String dummyHash;

    BcryptPasswordHasher(@Value("${gpudash.security.bcrypt-cost:12}") int cost) {
        this.encoder = new BCryptPasswordEncoder(cost);
        this.scheduler = Schedulers.newBoundedElastic(Runtime.getRuntime().availableProcessors(), QUEUE_LIMIT, "bcrypt");
        // Checked against when there is no real hash, so an unknown username costs what a known one does.
        this.dummyHash = encoder.encode(UUID.randomUUID().toString());
    }

    @Override
    public Mono<PasswordHash> hash(String password) {
        return Mono.fromCallable(() -> new PasswordHash(encoder.encode(password))).subscribeOn(scheduler);
    }

    @Override
    public Mono<Boolean> matches(String password, PasswordHash hash) {
        return Mono.fromCallable(() -> {
            // bcrypt refuses more than 72 bytes; such a password was never accepted, so it matches nothing.
            boolean acceptable = password.getBytes(StandardCharsets.UTF_8).length <= 72;
            String candidate = acceptable ? password : "";
            boolean matches = encoder.matches(candidate, hash == null ? dummyHash : hash.value());
            return matches && acceptable && hash != null;
        }).subscribeOn(scheduler);
    }

    @Override
    public void destroy() {
        scheduler.dispose();
    }
}
