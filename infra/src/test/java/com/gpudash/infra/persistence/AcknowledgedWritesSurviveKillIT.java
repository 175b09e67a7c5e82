package com.gpudash.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import com.gpudash.infra.PackagedApplication;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2xx means the write is stored durably: 20 clients register users as fast as the packaged application answers,
 * the process is killed with SIGKILL at a random moment, and after the restart every registration that had been
 * answered 201 is still there (registering the same username again is a 409). Several rounds on the embedded H2
 * file and on MariaDB. {@code -Dcrash.rounds=10} for the full run (two rounds keep the suite short).
 */
class AcknowledgedWritesSurviveKillIT {

    private static final int ROUNDS = Integer.getInteger("crash.rounds", 2);
    private static final int CLIENTS = 20;
    private static final String DATABASE = Optional.ofNullable(System.getenv("TEST_DB_NAME"))
            .filter(name -> !name.isBlank()).orElse("gpudash_test") + "_kill";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path workingDirectory;

    @Test
    void onTheEmbeddedDatabase() throws Exception {
        killRounds(Map.of());
    }

    @Test
    @RequiresServices(Service.MARIADB)
    void onMariaDb() throws Exception {
        try (Connection server = DriverManager.getConnection("jdbc:mariadb://" + TestServices.dbHost() + ":"
                + TestServices.dbPort() + "/", TestServices.dbUser(), TestServices.dbPassword())) {
            server.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
            try {
                killRounds(Map.of("DB_HOST", TestServices.dbHost(), "DB_PORT", String.valueOf(TestServices.dbPort()),
                        "DB_USER", TestServices.dbUser(), "DB_PASSWORD", TestServices.dbPassword(),
                        "DB_NAME", DATABASE));
            } finally {
                server.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
            }
        }
    }

    private void killRounds(Map<String, String> database) throws Exception {
        Map<String, String> environment = new HashMap<>(database);
        environment.put("ADMIN_PASSWORD", TestAdmin.PASSWORD);
        environment.put("GPUDASH_SECURITY_BCRYPT_COST", "4");
        environment.put("GPUDASH_REGISTRATION_ADDRESS_MAX", "1000000"); // the clients register as fast as answered
        List<String> acknowledged = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            PackagedApplication application = PackagedApplication.start(workingDirectory, environment);
            try {
                assertStored(application, acknowledged);
                List<String> answered = registerUntilKilled(application);
                System.out.printf("[AcknowledgedWritesSurviveKillIT] %s round %d: %d registrations answered 201"
                        + " before the kill%n", database.isEmpty() ? "H2" : "MariaDB", round, answered.size());
                assertThat(answered).as("the round must acknowledge writes, or it tests nothing").isNotEmpty();
                acknowledged.addAll(answered);
            } finally {
                application.close();
            }
        }
        try (PackagedApplication application = PackagedApplication.start(workingDirectory, environment)) {
            assertStored(application, acknowledged);
        }
    }

    /**
     * Clients register until the kill; the kill comes at a random moment once registrations are being answered,
     * so that some are answered just before it and others are in flight. Returns the usernames answered 201.
     */
    private List<String> registerUntilKilled(PackagedApplication application) throws Exception {
        RegisteringClients clients = RegisteringClients.start(application, http, "kill-", CLIENTS);
        Eventually.await("a first registration answered 201", Duration.ofSeconds(60),
                () -> Optional.ofNullable(clients.answered().peek()));
        // Not a poll: the kill lands at a random moment of the registrations, not right after the first one.
        Thread.sleep(ThreadLocalRandom.current().nextLong(200, 1500));
        return clients.killApplication();
    }

    private void assertStored(PackagedApplication application, List<String> usernames) throws Exception {
        List<String> lost = new ArrayList<>();
        for (String username : usernames) {
            HttpResponse<String> again = RegisteringClients.register(http, application, username);
            if (again.statusCode() != 409) {
                lost.add(username + " (" + again.statusCode() + ": " + again.body() + ")");
            }
        }
        if (!lost.isEmpty()) {
            // Kept for the post-mortem: the temporary directory goes.
            Files.writeString(Path.of("target", "acknowledged-writes-console.log"), application.console());
        }
        assertThat(lost).as("registrations answered 201 before a kill and gone after the restart, of "
                + usernames.size()).isEmpty();
    }
}
