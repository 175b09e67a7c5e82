package com.gpudash.infra.bench;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.gpudash.infra.GpuDashboardApplication;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

/**
 * A real login while a flood of junk logins runs. Not part of the test suite (the name does not end in Test); run
 * it on purpose:
 * <pre>
 * mvn -o -q -pl infra -am verify -Dtest=LoginFloodBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=none -Dfailsafe.failIfNoSpecifiedTests=false [-Dbench.bcryptCost=12] [-Dbench.seconds=20]
 *     [-Dbench.junkClients=64]
 * </pre>
 * It starts the application on a fresh embedded database with the production bcrypt cost (12) unless told
 * otherwise and creates a user. Then that user logs in twice a second from 127.0.0.1, first alone, then while
 * bench.junkClients clients, each from a loopback address of its own (127.0.1.x, so the per-address limits do not
 * stop them at once), send wrong logins for random usernames back to back. It reports the real logins' latency
 * and answers in both phases, and what the junk got. Goal: every real login answered within 1 s, 200 or a fast
 * 429/503. The report goes to stdout and to target/bench/login-flood.txt.
 */
class LoginFloodBenchmark {

    private static final String ADMIN = "gpuadmin";
    private static final String ADMIN_PASSWORD = "bench-admin-password";
    private static final String USER = "floodbench";
    private static final String PASSWORD = "bench user password";
    private static final Duration REAL_LOGIN_EVERY = Duration.ofMillis(500);

    record Sample(long nanos, int status) {
    }

    @Test
    void run() throws Exception {
        int cost = Integer.getInteger("bench.bcryptCost", 12);
        int junkClients = Integer.getInteger("bench.junkClients", 64);
        Duration phase = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
        Path dataDir = Files.createTempDirectory("gpudash-bench");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(GpuDashboardApplication.class).run(
                "--DATA_DIR=" + dataDir, "--LOG_FILE=" + dataDir.resolve("bench.log"), "--MGMT_SERVER_IP=127.0.0.1",
                "--server.port=0", "--management.server.port=0", "--ADMIN_PASSWORD=" + ADMIN_PASSWORD,
                "--gpudash.security.bcrypt-cost=" + cost, "--logging.level.root=warn")) {
            String baseUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            HttpClient real = HttpClient.create().baseUrl(baseUrl).responseTimeout(Duration.ofSeconds(60));
            String admin = token(post(real, "/api/login",
                    "{\"username\":\"" + ADMIN + "\",\"password\":\"" + ADMIN_PASSWORD + "\"}"));
            int created = status(post(real.headers(h -> h.set("Authorization", "Bearer " + admin)), "/api/admin/users",
                    "{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\",\"email\":\"" + USER
                            + "@example.org\",\"role\":\"REGULAR\"}")).block();
            if (created != 201) {
                throw new IllegalStateException("creating the user answered " + created);
            }
            String realLogin = "{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}";
            realLogins(real, realLogin, Duration.ofSeconds(3)); // warm-up
            List<Sample> alone = realLogins(real, realLogin, phase);

            AtomicBoolean flooding = new AtomicBoolean(true);
            Map<Integer, AtomicLong> junkAnswers = new ConcurrentHashMap<>();
            List<Disposable> junk = new ArrayList<>();
            // Event loops of their own: by default the junk clients would share the server's.
            LoopResources junkLoops = LoopResources.create("junk", 2, true);
            for (int i = 0; i < junkClients; i++) {
                InetSocketAddress from = new InetSocketAddress("127.0.1." + (i + 1), 0);
                HttpClient client = HttpClient.create().runOn(junkLoops).baseUrl(baseUrl).bindAddress(() -> from)
                        .responseTimeout(Duration.ofSeconds(60));
                junk.add(Mono.defer(() -> status(post(client, "/api/login",
                                "{\"username\":\"junk-" + UUID.randomUUID() + "\",\"password\":\"wrong\"}")))
                        .onErrorReturn(-1)
                        .doOnNext(status -> junkAnswers.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet())
                        .repeat(flooding::get)
                        .subscribe());
            }
            Thread.sleep(1_000); // not a poll: the flood runs a while before the flooded phase is measured
            List<Sample> flooded = realLogins(real, realLogin, phase);
            flooding.set(false);
            junk.forEach(Disposable::dispose);
            junkLoops.disposeLater().block();

            String report = String.format(Locale.ROOT, """
                            Login flood benchmark (bcrypt cost %d, %d cores, %d junk clients, %d s per phase, loopback, H2)
                              real logins alone:        %s
                              real logins under flood:  %s
                              p95 ratio:                %.2f (under flood / alone)
                              junk answers:             %s
                            """,
                    cost, Runtime.getRuntime().availableProcessors(), junkClients, phase.toSeconds(),
                    describe(alone), describe(flooded), percentileMillis(flooded, 95) / percentileMillis(alone, 95),
                    new TreeMap<>(junkAnswers));
            System.out.println(report);
            Path out = Path.of("target/bench/login-flood.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        }
    }

    /** One real login every half second (or as soon as the last is answered) for the duration, each timed. */
    private static List<Sample> realLogins(HttpClient client, String body, Duration duration) throws Exception {
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        for (long due = start; System.nanoTime() < start + duration.toNanos(); due += REAL_LOGIN_EVERY.toNanos()) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                // Pacing, not polling: the next real login is due at a fixed moment.
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            long sent = System.nanoTime();
            int status = status(post(client, "/api/login", body)).onErrorReturn(-1).block();
            samples.add(new Sample(System.nanoTime() - sent, status));
        }
        return samples;
    }

    private static String describe(List<Sample> samples) {
        Map<Integer, Long> statuses = new TreeMap<>();
        samples.forEach(s -> statuses.merge(s.status(), 1L, Long::sum));
        long overOneSecond = samples.stream().filter(s -> s.nanos() > 1_000_000_000L).count();
        return String.format(Locale.ROOT, "%d, p50 %.0f ms, p95 %.0f ms, max %.0f ms, over 1 s: %d, answers %s",
                samples.size(), percentileMillis(samples, 50), percentileMillis(samples, 95),
                percentileMillis(samples, 100), overOneSecond, statuses);
    }

    private static double percentileMillis(List<Sample> samples, int percentile) {
        List<Long> sorted = samples.stream().map(Sample::nanos).sorted().toList();
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static Mono<Integer> status(HttpClient.ResponseReceiver<?> request) {
        return request.responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                .thenReturn(response.status().code()));
    }

    private static String token(HttpClient.ResponseReceiver<?> request) {
        String body = request.responseSingle((response, content) -> content.asString()).block();
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(body);
        if (!token.find()) {
            throw new IllegalStateException("login failed: " + body);
        }
        return token.group(1);
    }

    private static HttpClient.ResponseReceiver<?> post(HttpClient client, String path, String json) {
        return client.headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                .post().uri(path).send(ByteBufFlux.fromString(Mono.just(json)));
    }
}
