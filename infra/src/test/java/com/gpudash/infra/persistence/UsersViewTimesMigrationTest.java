package com.gpudash.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.gpudash.infra.config.MigrationPlaceholders;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * V54 turns users_view's epoch milliseconds into the UTC wall-clock times every other read model keeps, in place:
 * rows written before the upgrade keep their instants to the millisecond, a null approval stays
 * null, and the page's indexes are there again. On both databases, whatever the session's time zone.
 */
class UsersViewTimesMigrationTest {

    /**
     * Times the projection wrote as epoch milliseconds before V54: a leap day's last millisecond, the hour Europe's
     * clocks skip in spring, and an early one (MariaDB's TIMESTAMP holds nothing before 1970-01-01 00:00:01 UTC).
     */
    private static final Instant CREATED = Instant.parse("2024-02-29T23:59:59.999Z");
    private static final Instant APPROVED = Instant.parse("2026-03-29T02:30:00.123Z");
    private static final Instant EARLY = Instant.parse("1970-01-02T00:00:00.001Z");

    abstract static class Migration {

        abstract String url();

        abstract String user();

        abstract String password();

        abstract Map<String, String> placeholders();

        @Test
        void epochMillisecondsBecomeTheUtcTimesOfTheSameInstants() {
            migrate("53");
            JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url(), user(), password()));
            insert(jdbc, "approved", CREATED, APPROVED);
            insert(jdbc, "waiting", EARLY, null);

            migrate("54");

            assertThat(jdbc.query("SELECT username, created_at, approved_at, search_text FROM users_view"
                            + " ORDER BY created_at",
                    (row, n) -> tuple(row.getString("username"),
                            row.getObject("created_at", LocalDateTime.class),
                            row.getObject("approved_at", LocalDateTime.class), row.getString("search_text"))))
                    .containsExactly(
                            tuple("waiting", utc(EARLY), null, "waiting waiting@lab"),
                            tuple("approved", utc(CREATED), utc(APPROVED), "approved approved@lab"));
            assertThat(indexes(jdbc))
                    .contains("ix_users_view_username", "ix_users_view_status", "ix_users_view_role",
                            "ix_users_view_created", "ix_users_view_status_created", "ix_users_view_role_created",
                            "ix_users_view_search");
        }

        private static List<String> indexes(JdbcTemplate jdbc) {
            return jdbc.execute((ConnectionCallback<List<String>>) connection -> {
                List<String> names = new ArrayList<>();
                try (ResultSet index = connection.getMetaData().getIndexInfo(connection.getCatalog(), null,
                        "users_view", false, false)) {
                    while (index.next()) {
                        names.add(index.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
                    }
                }
                return names;
            });
        }

        private void migrate(String target) {
            Flyway.configure().dataSource(url(), user(), password()).locations("classpath:db/migration")
                    .placeholders(placeholders()).target(target).load().migrate();
        }

        private static void insert(JdbcTemplate jdbc, String username, Instant created, Instant approved) {
            jdbc.update("INSERT INTO users_view (user_id, username, email, full_name, role, status, created_at,"
                            + " approved_at, approved_by, search_text) VALUES (?, ?, ?, NULL, 'REGULAR', 'ACTIVE', ?, ?,"
                            + " NULL, ?)", UUID.randomUUID().toString(), username, username + "@lab",
                    created.toEpochMilli(), approved == null ? null : approved.toEpochMilli(),
                    username + " " + username + "@lab");
        }

        private static LocalDateTime utc(Instant instant) {
            return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
    }

    @Nested
    class OnH2 extends Migration {

        private final String url = "jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";

        @Override
        String url() {
            return url;
        }

        @Override
        String user() {
            return "sa";
        }

        @Override
        String password() {
            return "";
        }

        @Override
        Map<String, String> placeholders() {
            return MigrationPlaceholders.H2;
        }
    }

    /**
     * A session time zone far from UTC: the conversion adds the epoch as a wall-clock value, so the zone must not
     * shift it (MariaDB converts TIMESTAMP values between the session's zone and UTC on the way in and out).
     */
    @Nested
    @RequiresServices(Service.MARIADB)
    class OnMariaDb extends Migration {

        private static final String DATABASE = "gpudash_test_v54";

        OnMariaDb() throws Exception {
            try (Connection connection = DriverManager.getConnection(server(), TestServices.dbUser(),
                    TestServices.dbPassword())) {
                connection.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
                connection.createStatement().execute("CREATE DATABASE " + DATABASE);
            }
        }

        private static String server() {
            return "jdbc:mariadb://" + TestServices.dbHost() + ":" + TestServices.dbPort() + "/";
        }

        @Override
        String url() {
            return server() + DATABASE + "?sessionVariables=time_zone='+09:30'";
        }

        @Override
        String user() {
            return TestServices.dbUser();
        }

        @Override
        String password() {
            return TestServices.dbPassword();
        }

        @Override
        Map<String, String> placeholders() {
            return MigrationPlaceholders.MARIADB;
        }
    }
}
