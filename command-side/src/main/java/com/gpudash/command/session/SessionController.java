package com.gpudash.command.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.UnaryOperator;

import com.gpudash.api.DomainException;
import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.api.audit.LoggedOut;
import com.gpudash.api.audit.LoginFailed;
import com.gpudash.api.audit.LoginSucceeded;
import com.gpudash.api.user.Caller;
import com.gpudash.api.user.PasswordHash;
import com.gpudash.api.user.UserStatus;
import com.gpudash.api.user.UserView;
import com.gpudash.command.user.JdbcCredentialStore;
import com.gpudash.command.user.PasswordHasher;
import com.gpudash.command.user.UserAccounts;
import com.gpudash.command.web.TooManyRequests;
import com.gpudash.command.web.AuditEvents;
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
 * the right password learns that an account is not ACTIVE (403). Every login, refusal, throttling and logout is
 * recorded for the audit log before the answer goes out (repeated throttlings counted: {@link ThrottledLogins});
 * an unknown username and a wrong password are recorded alike, under the username as typed, and the password never
 * is.
 */
@RestController
class SessionController {

    /** Login names are not checked for shape: a wrong one is just a wrong login. The sizes bound the work. */
    record LoginRequest(@NotNull @Size(max = 254) String username, @NotNull @Size(max = 1024) String password) {
    }

    private static final String WRONG_CREDENTIALS = "Wrong username or password";

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
    private final AuditEvents audit;
    private final ThrottledLogins throttledLogins;

    SessionController(UserAccounts accounts, JdbcCredentialStore credentials, PasswordHasher hasher,
                      Sessions sessions, LoginThrottle throttle, Clock clock,
                      @Value("${gpudash.session.ttl:12h}") Duration sessionTtl, AuditEvents audit,
                      ThrottledLogins throttledLogins) {
        this.accounts = accounts;
        this.credentials = credentials;
        this.hasher = hasher;
        this.sessions = sessions;
        this.throttle = throttle;
        this.clock = clock;
        this.sessionTtl = sessionTtl;
        this.audit = audit;
        this.throttledLogins = throttledLogins;
    }

    @PostMapping("/api/login")
    Mono<ResponseEntity<LoginAnswer>> login(@Valid @RequestBody LoginRequest body, ServerWebExchange exchange) {
        // The source address as the audit metadata names it: the TCP peer, or the client a trusted proxy names.
        return Mono.deferContextual(context -> login(body, context.<AuditMetadata>getOrEmpty(AuditMetadata.class)
                .map(AuditMetadata::sourceIp).orElse(null), exchange));
    }

    private Mono<ResponseEntity<LoginAnswer>> login(LoginRequest body, String address, ServerWebExchange exchange) {
        Optional<Instant> throttledUntil = throttle.throttledUntil(body.username(), address);
        if (throttledUntil.isPresent()) {
            return throttled(body.username(), address, throttledUntil.get(), "Too many failed logins");
        }
        LoginThrottle.Check check = throttle.startCheck(address);
        if (check == LoginThrottle.Check.ADDRESS_BUSY) {
            return throttled(body.username(), address, throttle.retryAfterBusy(),
                    "Too many logins from this address at once");
        }
        if (check == LoginThrottle.Check.SERVER_BUSY) {
            // Answered before the database and bcrypt are asked; the same 503 as a full bcrypt queue, unrecorded.
            return Mono.error(new RejectedExecutionException("Too many logins at once"));
        }
        return Mono.fromCallable(() -> find(body.username()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(found -> hasher.matches(body.password(), found.map(Found::hash).orElse(null))
                        .flatMap(matches -> {
                            boolean known = found.isPresent() && found.get().candidate().status() != UserStatus.DELETED;
                            if (!matches || !known) {
                                throttle.recordFailure(body.username(), address);
                                return refused(exchange, body.username(), null, new ResponseStatusException(
                                        HttpStatus.UNAUTHORIZED, WRONG_CREDENTIALS));
                            }
                            UserAccounts.LoginCandidate candidate = found.get().candidate();
                            if (candidate.status() != UserStatus.ACTIVE) {
                                return refused(exchange, body.username(), candidate.userId().value(),
                                        DomainException.forbidden("The account is " + candidate.status()
                                                + "; only ACTIVE accounts may log in"));
                            }
                            throttle.recordSuccess(body.username(), address);
                            return openSession(candidate, exchange);
                        }))
                .doFinally(signal -> throttle.checked(address));
    }

    private <T> Mono<T> throttled(String username, String address, Instant until, String why) {
        return throttledLogins.record(username, address, until, attempt(username, null))
                .then(Mono.error(tooManyFailures(until, why)));
    }

    @PostMapping("/api/logout")
    Mono<ResponseEntity<Void>> logout(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, ServerWebExchange exchange) {
        return Mono.fromRunnable(() -> sessions.end(caller.sessionId()))
                .subscribeOn(Schedulers.boundedElastic())
                .then(audit.record(new LoggedOut(caller.userId(), caller.username()), UnaryOperator.identity()))
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
        }).subscribeOn(Schedulers.boundedElastic()).flatMap(answer -> {
            UserView user = answer.getBody().user();
            return audit.record(new LoginSucceeded(user.id(), user.username()), request -> new AuditMetadata(
                            user.id().value(), user.username(), user.role().name(), request.sourceIp(),
                            request.correlationId()))
                    .thenReturn(answer);
        });
    }

    /** Records the refusal, and tells the error handler so, which would otherwise record it as an AccessDenied. */
    private <T> Mono<T> refused(ServerWebExchange exchange, String username, String userId, RuntimeException answer) {
        exchange.getAttributes().put(AuditMetadata.RECORDED_ATTRIBUTE, Boolean.TRUE);
        return audit.record(new LoginFailed(username, answer instanceof ResponseStatusException status
                        ? status.getReason() : answer.getMessage()), attempt(username, userId))
                .then(Mono.error(answer));
    }

    /** Before a login succeeds, its actor is the username as typed (and the account's id once it is known). */
    private static UnaryOperator<AuditMetadata> attempt(String username, String userId) {
        return request -> new AuditMetadata(userId, username, null, request.sourceIp(), request.correlationId());
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

    private ResponseStatusException tooManyFailures(Instant until, String why) {
        return TooManyRequests.until(clock.instant(), until, why);
    }
}
