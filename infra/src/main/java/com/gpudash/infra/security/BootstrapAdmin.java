package com.gpudash.infra.security;

import java.security.SecureRandom;
import java.util.Base64;

import com.gpudash.api.user.CreateUser;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.UserId;
import com.gpudash.command.user.PasswordHasher;
import com.gpudash.command.user.UserAccounts;
import com.gpudash.infra.config.Settings;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Someone must be able to log in after the first start: when no ACTIVE admin exists, one is created from
 * ADMIN_USERNAME (default {@value #DEFAULT_USERNAME}, since "admin" is a reserved URL path) and ADMIN_PASSWORD.
 * Without ADMIN_PASSWORD a strong password is generated and logged once; it is stored only as a bcrypt hash.
 */
@Component
class BootstrapAdmin implements ApplicationRunner {

    static final String DEFAULT_USERNAME = "gpuadmin";
    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Settings settings;
    private final UserAccounts accounts;
    private final PasswordHasher hasher;
    private final CommandGateway commands;

    BootstrapAdmin(Settings settings, UserAccounts accounts, PasswordHasher hasher, CommandGateway commands) {
        this.settings = settings;
        this.accounts = accounts;
        this.hasher = hasher;
        this.commands = commands;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (accounts.activeAdmins() > 0) {
            return;
        }
        String username = settings.adminUsername().orElse(DEFAULT_USERNAME);
        boolean generated = settings.adminPassword().isEmpty();
        String password = settings.adminPassword().orElseGet(BootstrapAdmin::strongPassword);
        // Start-up runs on the main thread, where blocking is fine.
        commands.sendAndWait(new CreateUser(UserId.random(), username, username + "@localhost", "Administrator",
                Role.ADMIN, hasher.hash(password).block()));
        if (generated) {
            String banner = "=".repeat(78);
            log.warn("\n{}\nNo active administrator existed, so one was created.\n  username: {}\n  password: {}\n"
                    + "This password is shown only this once. Log in and change it (POST /api/user/password).\n{}",
                    banner, username, password, banner);
        } else {
            log.info("No active administrator existed; created '{}' with the password from ADMIN_PASSWORD", username);
        }
    }

    /** 144 random bits. */
    private static String strongPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
