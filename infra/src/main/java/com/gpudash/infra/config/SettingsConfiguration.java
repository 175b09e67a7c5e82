package com.gpudash.infra.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/** The checked settings as a bean (the same object the environment was built from), and the clock. */
@Configuration(proxyBeanMethods = false)
class SettingsConfiguration {

    @Bean
    Settings settings(ConfigurableEnvironment environment) {
        var source = environment.getPropertySources().get(SettingsEnvironmentPostProcessor.SettingsPropertySource.NAME);
        if (source instanceof SettingsEnvironmentPostProcessor.SettingsPropertySource settingsSource) {
            return settingsSource.settings();
        }
        throw new IllegalStateException("the settings were not read at start-up; is SettingsEnvironmentPostProcessor registered?");
    }

    /** Every component tells time by this clock, so tests can move it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
