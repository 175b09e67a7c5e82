package com.gpudash.infra.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.gpudash.infra.GpuDashboardApplication;
import com.gpudash.infra.TestAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;

/**
 * Sessions are the only way in: a start-up makes no in-memory user, so it logs no generated password for one
 * (Spring Boot's "Using generated security password", at INFO: the tests' logging shows only WARN unless told).
 */
@ExtendWith(OutputCaptureExtension.class)
class NoGeneratedUserTest {

    @TempDir
    Path tmp;

    @Test
    void startUpCreatesNoUserStoreAndLogsNoGeneratedPassword(CapturedOutput output) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GpuDashboardApplication.class)
                // Named, so that start-up reports "Started GpuDashboardApplication" as it does from the jar.
                .main(GpuDashboardApplication.class)
                .run("--server.port=0", "--management.server.port=0", "--LOG_FILE=" + tmp.resolve("start.log"),
                        "--DATA_DIR=" + tmp.resolve("data"), "--ADMIN_PASSWORD=" + TestAdmin.PASSWORD,
                        "--gpudash.security.bcrypt-cost=4",
                        "--logging.level.org.springframework.boot.autoconfigure.security=INFO",
                        "--logging.level.com.gpudash.infra.GpuDashboardApplication=INFO")) {
            assertThat(context.getBeanNamesForType(ReactiveUserDetailsService.class)).isEmpty();
            assertThat(context.getBeanNamesForType(ReactiveAuthenticationManager.class)).isEmpty();
        }

        assertThat(output.getAll()).contains("Started GpuDashboardApplication")
                .doesNotContainIgnoringCase("generated security password");
    }
}
