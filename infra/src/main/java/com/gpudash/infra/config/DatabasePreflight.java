package com.gpudash.infra.config;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Checks, before anything else starts, that the MySQL/MariaDB server answers, and creates the database when it
 * does not exist yet and the user may create it. Without this the first thing an operator sees is a pool's
 * stack trace.
 */
public final class DatabasePreflight {

    private DatabasePreflight() {
    }

    public static List<SettingsProblem> prepare(Settings.Database database) {
        try (Connection connection = DriverManager.getConnection(database.serverJdbcUrl(), database.user(), database.password());
             Statement statement = connection.createStatement()) {
            // The name is checked against ^[A-Za-z0-9_]{1,64}$ before it gets here, so quoting it is enough.
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + database.name() + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            return List.of();
        } catch (SQLException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            if (e.getSQLState() != null && e.getSQLState().startsWith("42")) {
                return List.of(new SettingsProblem("DB_NAME", "database '" + database.name() + "' does not exist and user '"
                        + database.user() + "' may not create it: " + message));
            }
            return List.of(new SettingsProblem("DB_HOST", "cannot use the database server at " + database.host() + ":"
                    + database.port() + " as '" + database.user() + "' (check DB_HOST, DB_PORT, DB_USER, DB_PASSWORD): " + message));
        }
    }
}
