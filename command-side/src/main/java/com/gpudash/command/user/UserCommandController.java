package com.gpudash.command.user;

import java.security.SecureRandom;
import java.util.Base64;

import com.gpudash.api.DomainException;
import com.gpudash.api.user.ApproveUser;
import com.gpudash.api.user.Caller;
import com.gpudash.api.user.ChangePassword;
import com.gpudash.api.user.CreateUser;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.DeleteUser;
import com.gpudash.api.user.RegisterUser;
import com.gpudash.api.user.RejectUser;
import com.gpudash.api.user.ResetPassword;
import com.gpudash.api.user.UpdateUser;
import com.gpudash.api.user.UserId;
import com.gpudash.api.user.UserStatus;
import com.gpudash.api.user.UserView;
import com.gpudash.command.web.CommandSender;
import com.gpudash.command.web.PasswordPolicy;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The state-changing user endpoints of the contract. Who may call which is decided by the security layer. */
@RestController
class UserCommandController {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** An approval that names no GPU count asks for none: GPUs are given on purpose, never by accident. */
    static final int DEFAULT_GPU_COUNT = 0;

    record RegisteredAnswer(UserView user) {
    }

    record ApprovedAnswer(OperationId operationId, UserView user) {
    }

    record DeletedAnswer(OperationId operationId) {
    }

    record ResetAnswer(String temporaryPassword) {
    }

    private final CommandSender commands;
    private final PasswordHasher hasher;
    private final UserAccounts accounts;
    private final JdbcCredentialStore credentials;

    UserCommandController(CommandSender commands, PasswordHasher hasher, UserAccounts accounts,
                          JdbcCredentialStore credentials) {
        this.commands = commands;
        this.hasher = hasher;
        this.accounts = accounts;
        this.credentials = credentials;
    }

    @PostMapping("/api/register")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<RegisteredAnswer> register(@Valid @RequestBody UserRequests.Register body) {
        UserId userId = UserId.random();
        return acceptable("password", body.password(), body.username())
                .then(hasher.hash(body.password()))
                .flatMap(hash -> commands.send(
                        new RegisterUser(userId, body.username(), body.email(), body.fullName(), hash)))
                .then(account(userId))
                .map(RegisteredAnswer::new);
    }

    @PostMapping("/api/admin/users")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<UserView> create(@Valid @RequestBody UserRequests.Create body) {
        UserId userId = UserId.random();
        return acceptable("password", body.password(), body.username())
                .then(hasher.hash(body.password()))
                .flatMap(hash -> commands.send(
                        new CreateUser(userId, body.username(), body.email(), body.fullName(), body.role(), hash)))
                .then(account(userId));
    }

    /** One command: the parts given change together, or none does. */
    @PutMapping("/api/admin/users/{id}")
    Mono<UserView> update(@PathVariable String id, @Valid @RequestBody UserRequests.Update body) {
        UserId userId = userId(id);
        UserStatus status = body.status() == null ? null : switch (body.status()) {
            case ACTIVE -> UserStatus.ACTIVE;
            case DISABLED -> UserStatus.DISABLED;
        };
        return commands.send(new UpdateUser(userId, body.email(), body.fullName(), body.role(), status))
                .then(account(userId));
    }

    /**
     * The container request follows from the approval in the same transaction, so the provisioning operation can
     * be read as soon as this answers; a refused request fails that operation, it does not undo the approval.
     */
    @PostMapping("/api/admin/users/{id}/approve")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<ApprovedAnswer> approve(@PathVariable String id,
                                 @Valid @RequestBody(required = false) UserRequests.Approve body,
                                 @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        UserId userId = userId(id);
        OperationId provisioning = OperationId.random();
        ServerId server = body == null || body.serverId() == null ? null : ServerId.of(body.serverId());
        int gpus = body == null || body.gpuCount() == null ? DEFAULT_GPU_COUNT : body.gpuCount();
        return commands.send(new ApproveUser(userId, caller.userId(), provisioning, server, gpus))
                .then(account(userId))
                .map(user -> new ApprovedAnswer(provisioning, user));
    }

    @PostMapping("/api/admin/users/{id}/reject")
    Mono<UserView> reject(@PathVariable String id, @Valid @RequestBody(required = false) UserRequests.Reject body) {
        UserId userId = userId(id);
        return commands.send(new RejectUser(userId, body == null ? null : body.reason()))
                .then(account(userId));
    }

    /** Without a new password in the body, one is generated and shown once, in this answer. */
    @PostMapping("/api/admin/users/{id}/reset-password")
    Mono<ResetAnswer> resetPassword(@PathVariable String id,
                                    @Valid @RequestBody(required = false) UserRequests.ResetPassword body) {
        UserId userId = userId(id);
        boolean generated = body == null || body.newPassword() == null;
        String password = generated ? temporaryPassword() : body.newPassword();
        // An unknown user is the command's to refuse, so that the refusal is recorded for the audit log like any other.
        Mono<Void> acceptable = generated ? Mono.empty()
                : Mono.fromCallable(() -> accounts.find(userId)).subscribeOn(Schedulers.boundedElastic())
                        .flatMap(user -> user.isPresent()
                                ? acceptable("newPassword", password, user.get().username())
                                : Mono.empty());
        return acceptable
                .then(hasher.hash(password))
                .flatMap(hash -> commands.send(new ResetPassword(userId, hash)))
                .then(Mono.fromSupplier(() -> new ResetAnswer(generated ? password : null)));
    }

    /**
     * The user is deleted at once (sessions end, history stays); their container and route go in the removal that
     * the operation follows, which the deletion starts in the same transaction.
     */
    @DeleteMapping("/api/users/{id}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<DeletedAnswer> delete(@PathVariable String id) {
        UserId userId = userId(id);
        OperationId removal = OperationId.random();
        return commands.send(new DeleteUser(userId, removal))
                .thenReturn(new DeletedAnswer(removal));
    }

    /** The caller changes their own password; every session of theirs ends, this one included. */
    @PostMapping("/api/user/password")
    Mono<ResponseEntity<Void>> changePassword(@Valid @RequestBody UserRequests.ChangePassword body,
                                              @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return Mono.fromCallable(() -> credentials.find(caller.userId()).orElse(null))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(stored -> hasher.matches(body.currentPassword(), stored))
                .switchIfEmpty(hasher.matches(body.currentPassword(), null))
                .flatMap(matches -> matches
                        ? account(caller.userId())
                                .flatMap(user -> acceptable("newPassword", body.newPassword(), user.username()))
                                .then(hasher.hash(body.newPassword()))
                        : Mono.error(DomainException.invalid("currentPassword: is not your current password")))
                .flatMap(hash -> commands.send(new ChangePassword(caller.userId(), hash)))
                .then(Mono.just(ResponseEntity.noContent().build()));
    }

    /**
     * The rest of the password policy, which needs the username; the constraint on the body has checked the
     * password on its own already. The reason names the field, never the password.
     */
    private static Mono<Void> acceptable(String field, String password, String username) {
        return PasswordPolicy.problem(password, username)
                .<Mono<Void>>map(problem -> Mono.error(DomainException.invalid(field + ": " + problem)))
                .orElse(Mono.empty());
    }

    private Mono<UserView> account(UserId userId) {
        return Mono.fromCallable(() -> accounts.find(userId)
                        .orElseThrow(() -> DomainException.notFound("No user " + userId)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** An id that is not a UUID names no user: the same 404 as an unknown one. */
    private static UserId userId(String id) {
        return UserId.parse(id).orElseThrow(() -> DomainException.notFound("No user " + id));
    }

    /** 120 random bits, URL-safe, so it can be read out or pasted without escaping. */
    private static String temporaryPassword() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
