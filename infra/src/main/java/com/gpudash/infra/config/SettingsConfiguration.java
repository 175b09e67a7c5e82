package com.gpudash.infra.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/** The checked settings as a bean, and the clock every component tells time by. */
@Configuration(proxyBeanMethods = false)
class SettingsConfiguration {

    @Bean
    Settings settings(ConfigurableEnvironment environment) {
        var source = (SettingsEnvironmentPostProcessor.SettingsPropertySource)
                environment.getPropertySources().get(SettingsEnvironmentPostProcessor.SettingsPropertySource.NAME);
        if (source == null) {
            throw new IllegalStateException("SettingsEnvironmentPostProcessor did not run");
        }
        return source.settings();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
