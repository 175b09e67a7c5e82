package com.gpudash.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.gpudash.query.web.UtcTime;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * An in-memory H2 database with the application's own migrations, as the application runs them on H2, so a test
 * of a query handler reads the tables the projections really write.
 */
public final class ReadModelSchema {

    private static final Path MIGRATIONS = Path.of("infra", "src", "main", "resources", "db", "migration");

    /** What {@code SettingsEnvironmentPostProcessor} gives Flyway on H2. */
    private static final Map<String, String> H2_PLACEHOLDERS = Map.of(
            "${table_options}", "",
            "${blob}", "BLOB",
            "${json_text}", "VARCHAR(16000)",
            "${timestamp}", "TIMESTAMP(6) WITH TIME ZONE",
            "${new_uuid}", "CAST(RANDOM_UUID() AS VARCHAR(36))");

    private ReadModelSchema() {
    }

    /** A fresh database holding the tables of the named migrations ({@code V10__servers.sql}, say). */
    public static JdbcTemplate h2With(String... migrations) {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Path directory = repositoryRoot().resolve(MIGRATIONS);
        for (String migration : migrations) {
            for (String statement : statements(directory.resolve(migration))) {
                jdbc.execute(statement);
            }
        }
        return jdbc;
    }

    /** An event's time as a TIMESTAMP(3) column of a read model gives it back: UTC wall-clock, to the millisecond. */
    public static Timestamp stored(Instant at) {
        return Timestamp.valueOf(UtcTime.column(at));
    }

    private static String[] statements(Path file) {
        try {
            String sql = Files.readAllLines(file).stream()
                    .filter(line -> !line.strip().startsWith("--"))
                    .collect(Collectors.joining("\n"));
            for (Map.Entry<String, String> placeholder : H2_PLACEHOLDERS.entrySet()) {
                sql = sql.replace(placeholder.getKey(), placeholder.getValue());
            }
            return Arrays.stream(sql.split(";")).map(String::strip).filter(s -> !s.isEmpty())
                    .toArray(String[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory of the root pom.xml, wherever the build runs this module's tests from. */
    public static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(MIGRATIONS))) {
                return dir;
            }
        }
        throw new IllegalStateException("No " + MIGRATIONS + " above " + Path.of("").toAbsolutePath());
    }
}
