package com.gpudash.infra.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;

@RequiresServices(Service.MARIADB)
class DatabasePreflightTest {

    private final Settings.Database server = new Settings.Database(TestServices.dbHost(), TestServices.dbPort(),
            TestServices.dbUser(), TestServices.dbPassword(), "gpudash_test_preflight");

    @Test
    void createsTheDatabaseOnFirstStart() throws Exception {
        try (Connection connection = DriverManager.getConnection(server.serverJdbcUrl(), server.user(), server.password())) {
            connection.createStatement().execute("DROP DATABASE IF EXISTS gpudash_test_preflight");

            assertThat(DatabasePreflight.prepare(server)).isEmpty();
            assertThat(DatabasePreflight.prepare(server)).as("a second start finds it").isEmpty();

            try (ResultSet schemas = connection.createStatement()
                    .executeQuery("SHOW DATABASES LIKE 'gpudash_test_preflight'")) {
                assertThat(schemas.next()).isTrue();
            }
            connection.createStatement().execute("DROP DATABASE gpudash_test_preflight");
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsNamedByVariable() {
        Settings.Database nobody = new Settings.Database("127.0.0.1", 1, "root", "", "gpudash");

        assertThat(DatabasePreflight.prepare(nobody)).singleElement().satisfies(problem -> {
            assertThat(problem.variable()).isEqualTo("DB_HOST");
            assertThat(problem.message()).contains("127.0.0.1:1");
        });
    }

    @Test
    void wrongCredentialsAreNamed() {
        Settings.Database intruder = new Settings.Database(TestServices.dbHost(), TestServices.dbPort(),
                "no_such_user_gpudash", "wrong", "gpudash");

        assertThat(DatabasePreflight.prepare(intruder)).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("DB_USER", "DB_PASSWORD"));
    }
}
