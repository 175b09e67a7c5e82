package com.gpudash.infra.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

/**
 * Turns the deployment's variables into Spring properties before any bean exists: reads {@code .env} (real
 * environment variables win over it), checks every setting, and fails start-up with one message listing every
 * problem. Tests go through the same path, so what they configure is what production reads.
 */
public class SettingsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    public static final String DOTENV_SOURCE = "dotenv";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        MutablePropertySources sources = environment.getPropertySources();
        if (sources.contains(SettingsPropertySource.NAME)) {
            return;
        }
        Path dotEnv = Path.of(environment.getProperty("GPUDASH_DOTENV", ".env"));
        try {
            Map<String, Object> fromFile = new HashMap<>(DotEnvFile.read(dotEnv));
            sources.addLast(new MapPropertySource(DOTENV_SOURCE, fromFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dotEnv.toAbsolutePath(), e);
        }
        Settings settings = SettingsReader.read(environment::getProperty, DatabasePreflight::prepare);
        // Below system properties and the environment, above application.yml: what the variables imply is the
        // default, and an explicit Spring property (a test's random port, say) still wins.
        SettingsPropertySource derived = new SettingsPropertySource(settings, springProperties(settings));
        if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            sources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, derived);
        } else {
            sources.addFirst(derived);
        }
    }

    static Map<String, Object> springProperties(Settings settings) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.address", settings.mgmtServerIp());
        properties.put("server.port", settings.mgmtServerPort());
        properties.put("management.server.port", settings.metricsPort());
        properties.put("management.server.address", settings.mgmtServerIp());
        properties.put("gpudash.session.ttl", settings.sessionTtl().toString());
        if (settings.externalDatabase().isPresent()) {
            Settings.Database database = settings.externalDatabase().get();
            properties.put("spring.datasource.url", database.jdbcUrl());
            properties.put("spring.datasource.username", database.user());
            properties.put("spring.datasource.password", database.password());
            properties.put("spring.r2dbc.url", database.r2dbcUrl());
            properties.put("spring.r2dbc.username", database.user());
            properties.put("spring.r2dbc.password", database.password());
            // Under InnoDB's REPEATABLE READ, the processors creating their TokenEntry rows at the first start
            // take gap locks on the empty table and deadlock each other. READ COMMITTED takes no gap locks; nothing here
            // relies on repeatable reads (uniqueness is kept by unique keys, claims by conditional updates).
            properties.put("spring.datasource.hikari.transaction-isolation", "TRANSACTION_READ_COMMITTED");
            flywayPlaceholders(properties, MigrationPlaceholders.MARIADB);
        } else {
            // JDBC and R2DBC open the same H2 file in this JVM; the first connection's options win
            // silently, so both carry exactly the same ones. H2 must not close the database from its own shutdown
            // hook, which runs alongside Spring's: what is written while the application stops (processor tokens,
            // the last API traffic) would fail with "Database is already closed". The pools close it at the end.
            // WRITE_DELAY=0: H2 otherwise writes committed transactions to its file up to 500 ms later, so a
            // process killed in that time lost writes it had already answered 2xx for (RegistrationCrashIT).
            String options = "MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
            String file = settings.h2DatabaseFile().toString().replace('\\', '/');
            properties.put("spring.datasource.url", "jdbc:h2:file:" + file + ";" + options);
            properties.put("spring.datasource.username", "sa");
            properties.put("spring.datasource.password", "");
            // r2dbc-h2 reads the path after "file://" plus a host part, so an absolute path needs one more slash.
            properties.put("spring.r2dbc.url", "r2dbc:h2:file:///" + file + "?options=" + options);
            properties.put("spring.r2dbc.username", "sa");
            properties.put("spring.r2dbc.password", "");
            flywayPlaceholders(properties, MigrationPlaceholders.H2);
        }
        if (settings.logFormat() == Settings.LogFormat.JSON) {
            properties.put("logging.structured.format.console", "logstash");
            properties.put("logging.structured.format.file", "logstash");
        }
        return properties;
    }

    private static void flywayPlaceholders(Map<String, Object> properties, Map<String, String> placeholders) {
        placeholders.forEach((name, value) -> properties.put("spring.flyway.placeholders." + name, value));
    }

    @Override
    public int getOrder() {
        // After Boot has loaded application.yml and the environment, before anything reads the datasource.
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The checked settings, kept with the properties derived from them so beans read the same object. */
    public static final class SettingsPropertySource extends MapPropertySource {

        public static final String NAME = "gpudash-settings";

        private final Settings settings;

        SettingsPropertySource(Settings settings, Map<String, Object> properties) {
            super(NAME, properties);
            this.settings = settings;
        }

        public Settings settings() {
            return settings;
        }
    }
}
