package com.gpudash.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar an operator runs, started as the README says, with nothing but a data directory. Run by failsafe after
 * packaging. It matters beyond the unit tests: axon-test on the test classpath resolves any handler parameter, so
 * only the real jar shows a handler resource that production lacks.
 */
class PackagedJarIT {

    @TempDir
    Path workingDirectory;

    @Test
    void theJarServesHealthUpOnTheEmbeddedDatabase() throws Exception {
        String health = runJar(Map.of(), "H2", () -> { });

        assertThat(health).contains("\"status\":\"UP\"", "\"database\":\"H2\"");
        assertThat(workingDirectory.resolve("data/gpudash.mv.db")).exists();
        assertThat(workingDirectory.resolve("manager_backend.log")).exists();
    }

    @Test
    @RequiresServices(Service.MARIADB)
    void theSameJarCreatesItsDatabaseOnMariaDb() throws Exception {
        String database = "gpudash_test_jar";
        try (Connection server = DriverManager.getConnection("jdbc:mariadb://" + TestServices.dbHost() + ":"
                + TestServices.dbPort() + "/", TestServices.dbUser(), TestServices.dbPassword())) {
            server.createStatement().execute("DROP DATABASE IF EXISTS " + database);

            String health = runJar(Map.of("DB_HOST", TestServices.dbHost(),
                    "DB_PORT", String.valueOf(TestServices.dbPort()), "DB_USER", TestServices.dbUser(),
                    "DB_PASSWORD", TestServices.dbPassword(), "DB_NAME", database), "MariaDB",
                    () -> everyProcessorHoldsItsToken(server, database));

            assertThat(health).contains("\"status\":\"UP\"", "MariaDB");
            try (ResultSet tables = server.createStatement().executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = '" + database + "'")) {
                List<String> names = new ArrayList<>();
                while (tables.next()) {
                    names.add(tables.getString(1));
                }
                assertThat(names).contains("DomainEventEntry", "TokenEntry", "SagaEntry", "scheduled_tasks", "server_view");
            }
        }
    }

    /**
     * Starts the jar with nothing but a working directory and {@code environment}, checks /health (statuses only,
     * since it is open to anyone), stops it; answers the management port's health, which has the details.
     */
    private String runJar(Map<String, String> environment, String label, Settled settled) throws Exception {
        long started = System.nanoTime();
        try (PackagedApplication application = PackagedApplication.start(workingDirectory, environment)) {
            HttpResponse<String> health = application.health();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.println("[PackagedJarIT] " + label + ": /health answered " + health.statusCode() + " after "
                    + millis + " ms");
            assertThat(health.statusCode()).as(application.console()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("details");
            settled.await();
            // A first start is what an operator watches most closely: a stack trace there (the processors' token
            // rows deadlocking on an empty MariaDB, say) reads as a broken install even when it recovers.
            assertThat(application.console()).as("the first start's log").doesNotContain("\tat ", "Deadlock");
            return application.get(application.managementUri("/actuator/health")).body();
        }
    }

    /** What the application must have finished starting in the background before its log is read. */
    private interface Settled {
        void await() throws Exception;
    }

    /**
     * Every event processor creates its token row once it runs; the rows stop appearing when the last has. Until
     * then a processor may still be initialising, which is where the deadlocks were.
     */
    private static void everyProcessorHoldsItsToken(Connection server, String database) {
        long[] previous = {-1};
        // Readings two seconds apart tell a finished start from a slow one.
        Eventually.await(() -> "the token rows to stop appearing (last count " + previous[0] + ")",
                Duration.ofSeconds(60), Duration.ofSeconds(2), () -> {
                    long now = tokens(server, database);
                    boolean settled = now > 0 && now == previous[0];
                    previous[0] = now;
                    return settled ? Optional.of(now) : Optional.empty();
                });
    }

    private static long tokens(Connection server, String database) throws SQLException {
        try (ResultSet count = server.createStatement().executeQuery("SELECT COUNT(*) FROM " + database + ".TokenEntry")) {
            count.next();
            return count.getLong(1);
        }
    }
}
