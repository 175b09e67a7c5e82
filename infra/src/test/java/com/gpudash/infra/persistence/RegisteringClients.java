package com.gpudash.infra.persistence;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.gpudash.infra.PackagedApplication;

/**
 * Clients that register users on the packaged application back to back, as fast as it answers, until the process
 * is killed: the load of the kill tests. Each username is {@code prefix} and a random part.
 */
final class RegisteringClients {

    private final PackagedApplication application;
    private final HttpClient http;
    private final String prefix;
    private final Queue<String> answered = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean killed = new AtomicBoolean();
    private final ExecutorService threads;
    private final List<Future<?>> running = new ArrayList<>();

    private RegisteringClients(PackagedApplication application, HttpClient http, String prefix, int clients) {
        this.application = application;
        this.http = http;
        this.prefix = prefix;
        this.threads = Executors.newFixedThreadPool(clients);
    }

    static RegisteringClients start(PackagedApplication application, HttpClient http, String prefix, int clients) {
        RegisteringClients load = new RegisteringClients(application, http, prefix, clients);
        for (int client = 0; client < clients; client++) {
            load.running.add(load.threads.submit(() -> {
                while (!load.killed.get()) {
                    String username = prefix + UUID.randomUUID().toString().substring(0, 12);
                    try {
                        if (register(http, application, username).statusCode() == 201) {
                            load.answered.add(username);
                        }
                    } catch (IOException diedOrTimedOut) {
                        // a request in flight when the process died: no answer, no promise
                    }
                }
                return null;
            }));
        }
        return load;
    }

    /** The usernames answered 201 so far. */
    Queue<String> answered() {
        return answered;
    }

    /** Kills the application with SIGKILL, lets the clients see it, and answers the usernames answered 201. */
    List<String> killApplication() throws Exception {
        try {
            application.kill();
            killed.set(true);
            for (Future<?> client : running) {
                client.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        return new ArrayList<>(answered);
    }

    static HttpResponse<String> register(HttpClient http, PackagedApplication application, String username)
            throws IOException, InterruptedException {
        String body = "{\"username\":\"" + username + "\",\"password\":\"a long enough password\",\"email\":\""
                + username + "@example.org\"}";
        return http.send(HttpRequest.newBuilder(application.uri("/api/register")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
