package com.gpudash.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import com.gpudash.infra.MariaDbApplicationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Sixteen clients register at the same instant over real HTTP on MariaDB; the unique keys of the accounts table,
 * written in the transaction of each append, let exactly one through.
 */
@MariaDbApplicationTest
class RegistrationRaceTest {

    private static final int CLIENTS = 16;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void sixteenSimultaneousRegistrationsOfOneUsernameGiveOneAccount() throws Exception {
        String username = Api.uniqueName("race");

        Map<Integer, Long> statuses = raceRegistrations(i -> body(username, username + "-" + i + "@example.org"));

        assertThat(statuses).isEqualTo(Map.of(201, 1L, 409, (long) CLIENTS - 1));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM user_accounts WHERE username = ?", Long.class, username))
                .isEqualTo(1L);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM DomainEventEntry WHERE payloadType LIKE '%UserRegistered'"
                + " AND payload LIKE ?", Long.class, "%\"" + username + "\"%")).as("the losers' events rolled back").isEqualTo(1L);
    }

    @Test
    void sixteenSimultaneousRegistrationsOfOneEmailInAnyCaseGiveOneAccount() throws Exception {
        String prefix = Api.uniqueName("mail");

        Map<Integer, Long> statuses = raceRegistrations(i -> body(prefix + "-" + i,
                (i % 2 == 0 ? prefix : prefix.toUpperCase()) + "@Example.ORG"));

        assertThat(statuses).isEqualTo(Map.of(201, 1L, 409, (long) CLIENTS - 1));
    }

    private Map<Integer, Long> raceRegistrations(IntFunction<String> bodies) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/register"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(bodies.apply(i)))
                        .build();
                answers.add(clients.submit(() -> {
                    start.await();
                    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            return statuses.stream().collect(Collectors.groupingBy(status -> status, Collectors.counting()));
        } finally {
            clients.shutdownNow();
        }
    }

    private static String body(String username, String email) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + Api.PASSWORD + "\",\"email\":\"" + email + "\"}";
    }
}
