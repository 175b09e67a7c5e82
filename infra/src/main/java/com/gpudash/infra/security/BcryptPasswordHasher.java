package com.gpudash.infra.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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
 * bcrypt with the configured cost, on a scheduler of its own: one thread per core but one (hashing is pure CPU,
 * and a core stays free for the event loops and the database), never on the event loop. Overload is answered at once rather than queued: at most {@code bcrypt-queue} hashes
 * wait beside the running ones, and more are refused on arrival (503), as is one that would wait longer than
 * {@code bcrypt-max-wait} by the time hashes take here; a hash that still waited longer than that when its turn
 * came is refused instead of run, since its caller is better told to retry than kept waiting (64 concurrent logins on two cores kept a real login waiting 8.8 s with a queue of 1024).
 */
@Component
class BcryptPasswordHasher implements PasswordHasher, DisposableBean {

    private final BCryptPasswordEncoder encoder;
    private final Scheduler scheduler;
    private final Semaphore admitted;
    private final long maxWaitNanos;
    private final int threads;
    private final int permits;
    /** How long a hash takes here, a moving average: what a newcomer would wait per hash ahead of it per thread. */
    private final AtomicLong hashNanos = new AtomicLong();
    private final String dummyHash;

    BcryptPasswordHasher(@Value("${gpudash.security.bcrypt-cost:12}") int cost,
                         @Value("${gpudash.security.bcrypt-threads:0}") int hashThreads,
                         @Value("${gpudash.security.bcrypt-queue:0}") int queue,
                         @Value("${gpudash.security.bcrypt-max-wait:1s}") Duration maxWait) {
        // 0: all cores but one, so that a flood of logins leaves a core to answer everything else, refusals too.
        int threads = hashThreads > 0 ? hashThreads : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        this.encoder = new BCryptPasswordEncoder(cost);
        // 0: what decides is the wait a newcomer would have by the time hashes take here (bcrypt-max-wait): at cost
        // 12 that is a few hashes per thread, at a low cost hundreds. A fixed queue as short as the threads answered
        // 503 to sixteen people registering at once on a 2-core host (RegistrationRaceTest); this only caps memory.
        int waiting = queue > 0 ? queue : 1024;
        this.threads = threads;
        this.permits = threads + waiting;
        this.admitted = new Semaphore(permits);
        // The permits bound the work; the scheduler's own cap (per thread, counting a task not yet started) must
        // never be what refuses it.
        this.scheduler = Schedulers.newBoundedElastic(threads, threads + waiting, "bcrypt");
        this.maxWaitNanos = maxWait.toNanos();
        // Checked against when there is no real hash, so an unknown username costs what a known one does.
        long start = System.nanoTime();
        this.dummyHash = encoder.encode(UUID.randomUUID().toString());
        hashNanos.set(System.nanoTime() - start);
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
     * Admitted on subscription or refused there: when all places are taken, or when the work ahead would keep this
     * one waiting longer than the allowed wait (every thread busy and a hash taking longer than that here). The
     * permit goes back once, however the work ends, and before the caller hears the result, so that whatever the
     * caller does next is admitted as the finished work was.
     */
    private <T> Mono<T> bounded(Callable<T> work) {
        return Mono.defer(() -> {
            int ahead = permits - admitted.availablePermits();
            if ((long) (ahead / threads) * hashNanos.get() > maxWaitNanos) {
                return Mono.error(new RejectedExecutionException("bcrypt is busy: the wait would be too long"));
            }
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
                        long started = System.nanoTime();
                        if (started - queuedAt > maxWaitNanos) {
                            throw new RejectedExecutionException("bcrypt work waited too long");
                        }
                        T result = work.call();
                        long took = System.nanoTime() - started;
                        hashNanos.accumulateAndGet(took, (average, sample) -> average + (sample - average) / 8);
                        return result;
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
