package com.gpudash.infra.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Login under load, and what it does to admin reads. Not part of the test suite (the name does not end in Test);
 * run it on purpose, on an otherwise quiet machine:
 * <pre>
 * mvn -o -q -pl infra -am verify -Dtest=LoginLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 *     [-Dbench.bcryptCost=12] [-Dbench.seconds=30]
 * </pre>
 * It starts the application on a fresh embedded database on a loopback port with the production bcrypt cost
 * (12) unless told otherwise, creates users, then measures GET /api/admin/users at a fixed 20 requests/s alone,
 * and again while a second client logs in at a fixed 10 logins/s. Latencies are measured from when each request
 * was due, not when it could be sent, so a saturated server shows as such. The report goes to stdout and to
 * target/bench/login-load.txt. Total run time is bounded by about 2 x bench.seconds plus start-up.
 */
class LoginLoadBenchmark {

    private static final String ADMIN = "gpuadmin";
    private static final String ADMIN_PASSWORD = "bench-admin-password";
    private static final String PASSWORD = "bench user password";
    private static final int LOGINS_PER_SECOND = 10;
    private static final int READS_PER_SECOND = 20;
    private static final int USERS = 20;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private String baseUrl;

    record Sample(long nanos, int status) {
    }

    @Test
    void run() throws Exception {
        int cost = Integer.getInteger("bench.bcryptCost", 12);
        Duration phase = Duration.ofSeconds(Integer.getInteger("bench.seconds", 30));
        Path dataDir = Files.createTempDirectory("gpudash-bench");
        try (ConfigurableApplicationContext app = BenchReports.embeddedApplication(dataDir, ADMIN_PASSWORD, cost)) {
            baseUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            String admin = token(ADMIN, ADMIN_PASSWORD);
            for (int i = 0; i < USERS; i++) {
                String username = String.format(Locale.ROOT, "bench%03d", i);
                int status = send(post("/api/admin/users", admin, "{\"username\":\"" + username + "\",\"password\":\""
                        + PASSWORD + "\",\"email\":\"" + username + "@example.org\",\"role\":\"REGULAR\"}")).statusCode();
                if (status != 201) {
                    throw new IllegalStateException("creating " + username + " answered " + status);
                }
            }
            HttpRequest read = HttpRequest.newBuilder(URI.create(baseUrl + "/api/admin/users?size=50&q=bench"))
                    .header("Authorization", "Bearer " + admin).timeout(Duration.ofSeconds(30)).GET().build();
            runAtRate(List.of(read), READS_PER_SECOND, Duration.ofSeconds(5)); // warm-up

            List<Sample> readsAlone = runAtRate(List.of(read), READS_PER_SECOND, phase);

            List<HttpRequest> logins = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                logins.add(post("/api/login", null, String.format(Locale.ROOT,
                        "{\"username\":\"bench%03d\",\"password\":\"%s\"}", i, PASSWORD)));
            }
            CompletableFuture<List<Sample>> readsLoaded =
                    CompletableFuture.supplyAsync(() -> runAtRate(List.of(read), READS_PER_SECOND, phase));
            List<Sample> loginSamples = runAtRate(logins, LOGINS_PER_SECOND, phase);
            List<Sample> readsUnderLoad = readsLoaded.get();

            String report = report(cost, phase, readsAlone, loginSamples, readsUnderLoad);
            System.out.println(report);
            Path out = Path.of("target/bench/login-load.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        }
    }

    private String report(int cost, Duration phase, List<Sample> readsAlone, List<Sample> logins,
                          List<Sample> readsUnderLoad) {
        long okLogins = logins.stream().filter(s -> s.status() == 200).count();
        double p99Alone = percentileMillis(readsAlone, 99);
        double p99Loaded = percentileMillis(readsUnderLoad, 99);
        return String.format(Locale.ROOT, """
                        Login load benchmark (bcrypt cost %d, %d cores, %d s per phase, loopback, embedded H2)
                          logins offered:      %d/s, %d sent, %d answered 200, %d other
                          login throughput:    %.1f successful logins/s
                          login latency:       p50 %.0f ms, p95 %.0f ms, max %.0f ms
                          reads alone:         %d at %d/s, p50 %.1f ms, p99 %.1f ms, errors %d
                          reads under logins:  %d at %d/s, p50 %.1f ms, p99 %.1f ms, errors %d
                          read p99 ratio:      %.2f (under login load / alone)
                        """,
                cost, Runtime.getRuntime().availableProcessors(), phase.toSeconds(),
                LOGINS_PER_SECOND, logins.size(), okLogins, logins.size() - okLogins,
                okLogins / (double) phase.toSeconds(),
                percentileMillis(logins, 50), percentileMillis(logins, 95), percentileMillis(logins, 100),
                readsAlone.size(), READS_PER_SECOND, percentileMillis(readsAlone, 50), p99Alone, errors(readsAlone),
                readsUnderLoad.size(), READS_PER_SECOND, percentileMillis(readsUnderLoad, 50), p99Loaded,
                errors(readsUnderLoad), p99Loaded / p99Alone);
    }

    /** Sends the requests in turn at a fixed rate for the duration, whatever the answers take; waits for all. */
    private List<Sample> runAtRate(List<HttpRequest> requests, int perSecond, Duration duration) {
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<?>> inFlight = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long count = duration.toSeconds() * perSecond;
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        try {
            for (long i = 0; i < count; i++) {
                long due = start + i * intervalNanos;
                pacer.schedule(() -> {
                    HttpRequest request = requests.get(next.getAndIncrement() % requests.size());
                    inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                            .handle((response, failure) -> samples.add(new Sample(System.nanoTime() - due,
                                    failure == null ? response.statusCode() : -1))));
                }, due - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
            pacer.shutdown();
            pacer.awaitTermination(duration.toSeconds() + 5, TimeUnit.SECONDS);
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pacer.shutdownNow();
        }
        return new ArrayList<>(samples);
    }

    private static double percentileMillis(List<Sample> samples, int percentile) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = samples.stream().map(Sample::nanos).sorted().toList();
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static long errors(List<Sample> samples) {
        return samples.stream().filter(s -> s.status() != 200).count();
    }

    private String token(String username, String password) throws Exception {
        String body = send(post("/api/login", null, "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")).body();
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(body);
        if (!token.find()) {
            throw new IllegalStateException("login failed: " + body);
        }
        return token.group(1);
    }

    private HttpRequest post(String path, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
