package com.gpudash.command.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.gpudash.api.DomainException;
import com.gpudash.api.user.Caller;
import com.gpudash.api.user.PasswordHash;
import com.gpudash.api.user.UserStatus;
import com.gpudash.api.user.UserView;
import com.gpudash.command.user.JdbcCredentialStore;
import com.gpudash.command.user.PasswordHasher;
import com.gpudash.command.user.UserAccounts;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Login and logout. A wrong password and an unknown username get the same 401 after the same bcrypt work; only
 * the right password learns that an account is not ACTIVE (403).
 */
@RestController
class SessionController {

    /** Login names are not checked for shape: a wrong one is just a wrong login. The sizes bound the work. */
    record LoginRequest(@NotNull @Size(max = 254) String username, @NotNull @Size(max = 1024) String password) {
    }

    record LoginAnswer(String token, Instant expiresAt, UserView user) {
    }

    private record Found(UserAccounts.LoginCandidate candidate, PasswordHash hash) {
    }

    private final UserAccounts accounts;
    private final JdbcCredentialStore credentials;
    private final PasswordHasher hasher;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final Duration sessionTtl;

    SessionController(UserAccounts accounts, JdbcCredentialStore credentials, PasswordHasher hasher,
                      Sessions sessions, LoginThrottle throttle, Clock clock,
                      @Value("${gpudash.session.ttl:12h}") Duration sessionTtl) {
        this.accounts = accounts;
        this.credentials = credentials;
        this.hasher = hasher;
        this.sessions = sessions;
        this.throttle = throttle;
        this.clock = clock;
        this.sessionTtl = sessionTtl;
    }

    @PostMapping("/api/login")
    Mono<ResponseEntity<LoginAnswer>> login(@Valid @RequestBody LoginRequest body, ServerWebExchange exchange) {
        Optional<Instant> lockedUntil = throttle.lockedUntil(body.username());
        if (lockedUntil.isPresent()) {
            return Mono.error(tooManyFailures(lockedUntil.get()));
        }
        return Mono.fromCallable(() -> find(body.username()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(found -> hasher.matches(body.password(), found.map(Found::hash).orElse(null))
                        .flatMap(matches -> {
                            boolean known = found.isPresent() && found.get().candidate().status() != UserStatus.DELETED;
                            if (!matches || !known) {
                                throttle.recordFailure(body.username());
                                return Mono.error(new ResponseStatusException(HttpStatus.UNAUTHORIZED,
                                        "Wrong username or password"));
                            }
                            UserAccounts.LoginCandidate candidate = found.get().candidate();
                            if (candidate.status() != UserStatus.ACTIVE) {
                                return Mono.error(DomainException.forbidden(
                                        "The account is " + candidate.status() + "; only ACTIVE accounts may log in"));
                            }
                            throttle.recordSuccess(body.username());
                            return openSession(candidate, exchange);
                        }));
    }

    @PostMapping("/api/logout")
    Mono<ResponseEntity<Void>> logout(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, ServerWebExchange exchange) {
        return Mono.fromRunnable(() -> sessions.end(caller.sessionId()))
                .subscribeOn(Schedulers.boundedElastic())
                .then(Mono.fromSupplier(() -> ResponseEntity.noContent()
                        .header(HttpHeaders.SET_COOKIE, cookie(exchange, "", Duration.ZERO).toString())
                        .<Void>build()));
    }

    private Optional<Found> find(String username) {
        return accounts.findByUsername(username).flatMap(candidate ->
                credentials.find(candidate.userId()).map(hash -> new Found(candidate, hash)));
    }

    private Mono<ResponseEntity<LoginAnswer>> openSession(UserAccounts.LoginCandidate candidate,
                                                          ServerWebExchange exchange) {
        return Mono.fromCallable(() -> {
            Sessions.OpenedSession session = sessions.open(candidate.userId(), sessionTtl);
            UserView user = accounts.find(candidate.userId()).orElseThrow();
            Duration lifetime = Duration.between(clock.instant(), session.expiresAt());
            return ResponseEntity.ok()
                    .header(HttpHeaders.SET_COOKIE, cookie(exchange, session.token(), lifetime).toString())
                    .body(new LoginAnswer(session.token(), session.expiresAt(), user));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** Secure only over HTTPS, so that a plain-HTTP deployment on a trusted network still works. */
    private static ResponseCookie cookie(ServerWebExchange exchange, String token, Duration maxAge) {
        return ResponseCookie.from(SessionTokens.COOKIE, token)
                .httpOnly(true)
                .sameSite("Strict")
                .secure("https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme()))
                .path("/")
                .maxAge(maxAge)
                .build();
    }

    private ResponseStatusException tooManyFailures(Instant lockedUntil) {
        long seconds = Math.max(1, Duration.between(clock.instant(), lockedUntil).toSeconds());
        return new TooManyFailures(lockedUntil, seconds);
    }

    /** A 429 that tells the client, in Retry-After, when the username is unlocked. */
    private static final class TooManyFailures extends ResponseStatusException {

        private final long retryAfterSeconds;

        TooManyFailures(Instant lockedUntil, long retryAfterSeconds) {
            super(HttpStatus.TOO_MANY_REQUESTS,
                    "Too many failed logins for this username; try again after " + lockedUntil);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        @Override
        public HttpHeaders getHeaders() {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
            return headers;
        }
    }
}
