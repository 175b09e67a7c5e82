package com.gpudash.infra.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import com.gpudash.api.user.PasswordHash;
import com.gpudash.command.user.PasswordHasher;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * bcrypt with the configured cost, on a scheduler of its own: one thread per core, since hashing is pure CPU,
 * never on the event loop. Overload is answered at once rather than queued: at most {@code bcrypt-queue} hashes
 * wait beside the running ones, and more are refused on arrival (503); a hash that still waited longer than
 * {@code bcrypt-max-wait} when its turn came is refused instead of run, since its caller is better told to retry
 * than kept waiting (64 concurrent logins on two cores kept a real login waiting 8.8 s with a queue of 1024).
 */
@Component
class BcryptPasswordHasher implements PasswordHasher, DisposableBean {

    private final BCryptPasswordEncoder encoder;
    private final Scheduler scheduler;
    private final Semaphore admitted;
    private final long maxWaitNanos;
    private final String dummyHash;

    @Autowired
    BcryptPasswordHasher(@Value("${gpudash.security.bcrypt-cost:12}") int cost,
                         @Value("${gpudash.security.bcrypt-queue:0}") int queue,
                         @Value("${gpudash.security.bcrypt-max-wait:1s}") Duration maxWait) {
        this(cost, Runtime.getRuntime().availableProcessors(), queue, maxWait);
    }

    BcryptPasswordHasher(int cost, int threads, int queue, Duration maxWait) {
        this.encoder = new BCryptPasswordEncoder(cost);
        // 0: as many waiting as running, so a hash waits for at most one other on its thread.
        int waiting = queue > 0 ? queue : threads;
        this.admitted = new Semaphore(threads + waiting);
        // The permits bound the work; the scheduler's own cap (per thread, counting a task not yet started) must
        // never be what refuses it.
        this.scheduler = Schedulers.newBoundedElastic(threads, threads + waiting, "bcrypt");
        this.maxWaitNanos = maxWait.toNanos();
        // Checked against when there is no real hash, so an unknown username costs what a known one does.
        this.dummyHash = encoder.encode(UUID.randomUUID().toString());
    }

    @Override
    public Mono<PasswordHash> hash(String password) {
        return bounded(() -> new PasswordHash(encoder.encode(password)));
    }

    @Override
    public Mono<Boolean> matches(String password, PasswordHash hash) {
        return bounded(() -> {
            // bcrypt refuses more than 72 bytes; such a password was never accepted, so it matches nothing.
            boolean acceptable = password.getBytes(StandardCharsets.UTF_8).length <= 72;
            String candidate = acceptable ? password : "";
            boolean matches = encoder.matches(candidate, hash == null ? dummyHash : hash.value());
            return matches && acceptable && hash != null;
        });
    }

    /**
     * Admitted on subscription or refused there. The permit goes back once, however the work ends, and before the
     * caller hears the result, so that whatever the caller does next is admitted as the finished work was.
     */
    private <T> Mono<T> bounded(Callable<T> work) {
        return Mono.defer(() -> {
            if (!admitted.tryAcquire()) {
                return Mono.error(new RejectedExecutionException("bcrypt is busy"));
            }
            long queuedAt = System.nanoTime();
            AtomicBoolean held = new AtomicBoolean(true);
            Runnable release = () -> {
                if (held.compareAndSet(true, false)) {
                    admitted.release();
                }
            };
            return Mono.fromCallable(() -> {
                        if (System.nanoTime() - queuedAt > maxWaitNanos) {
                            throw new RejectedExecutionException("bcrypt work waited too long");
                        }
                        return work.call();
                    })
                    .subscribeOn(scheduler)
                    .doOnTerminate(release)
                    .doOnCancel(release);
        });
    }

    @Override
    public void destroy() {
        scheduler.dispose();
    }
}
