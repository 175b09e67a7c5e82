package com.gpudash.api.user;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHashTest {

    private static final String HASH = "$2a$10$abcdefghijklmnopqrstuuO7CAnr0Mvyut4nxQOf1mXxAJ1YRKlq";

    @Test
    void keepsTheHashOutOfItsString() {
        assertThat(new PasswordHash(HASH)).hasToString("PasswordHash[****]");
    }

    @Test
    void keepsTheHashOutOfTheCommandsString() {
        assertThat(new ChangePassword(UserId.random(), new PasswordHash(HASH)).toString()).doesNotContain(HASH);
    }
}
