package com.gpudash.infra.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;

/**
 * Sessions are the only way in: a start-up makes no in-memory user, so it logs no generated password for one
 * (Spring Boot's "Using generated security password", at INFO: the tests' logging shows only WARN unless told).
 *
 * <p>A context of its own (its own data directory), started by the test framework after the output capture has
 * begun, and kept in its cache like the others. An application started and closed by hand in this JVM, once other
 * test contexts were up, took Reactor Netty's shared resources down with it, and the management ports of the cached
 * contexts refused connections from then on.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "DATA_DIR=target/test-data/no-generated-user", "LOG_FILE=target/test-data/no-generated-user.log",
        "management.server.port=0", "gpudash.security.bcrypt-cost=4",
        "logging.level.org.springframework.boot.autoconfigure.security=INFO",
        "logging.level.com.gpudash.infra.security.NoGeneratedUserTest=INFO"})
class NoGeneratedUserTest {

    @Autowired
    ApplicationContext context;

    @Test
    void startUpCreatesNoUserStoreAndLogsNoGeneratedPassword(CapturedOutput output) {
        assertThat(context.getBeanNamesForType(ReactiveUserDetailsService.class)).isEmpty();
        assertThat(context.getBeanNamesForType(ReactiveAuthenticationManager.class)).isEmpty();
        // The capture holds the whole start-up (the test framework logs its start as the test class's).
        assertThat(output.getAll()).contains("Started NoGeneratedUserTest")
                .doesNotContainIgnoringCase("generated security password");
    }
}
