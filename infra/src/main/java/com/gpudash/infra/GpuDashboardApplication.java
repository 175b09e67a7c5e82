package com.gpudash.infra;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.security.reactive.ReactiveUserDetailsServiceAutoConfiguration;

/** The whole backend in one process: command side, query side, sagas and adapters, assembled here. */
@SpringBootApplication(scanBasePackages = "com.gpudash",
        // R2DBC on the classpath switches this off anyway; PersistenceConfiguration declares the DataSource itself,
        // since without one Axon would silently run on in-memory stores.
        // Callers authenticate with sessions only (SessionAuthenticationFilter). Boot, finding no user store or
        // authentication manager, would otherwise add an in-memory user "user" and log its generated password.
        exclude = {DataSourceAutoConfiguration.class, ReactiveUserDetailsServiceAutoConfiguration.class},
        excludeName = "org.axonframework.springboot.autoconfig.UpdateCheckerAutoConfiguration")
public class GpuDashboardApplication {

    public static void main(String[] args) {
        // Axon prints an advertisement for its console at every start unless told not to.
        System.setProperty("disable-axoniq-console-message", "true");
        SpringApplication.run(GpuDashboardApplication.class, args);
    }
}
