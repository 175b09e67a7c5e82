package com.gpudash.infra.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.gpudash.infra.GpuDashboardApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the benchmarks that drive the application over HTTP share: the application on the embedded database, the
 * admin's login, the report's lines.
 */
final class BenchReports {

    private BenchReports() {
    }

    /**
     * The application on a fresh embedded database in {@code dataDir}, on random ports, with the given admin
     * password and bcrypt cost, warnings only in the log; {@code more} are further arguments.
     */
    static ConfigurableApplicationContext embeddedApplication(Path dataDir, String adminPassword, int bcryptCost,
                                                              String... more) {
        List<String> arguments = new ArrayList<>(List.of("--DATA_DIR=" + dataDir, "--LOG_FILE=" + dataDir.resolve("bench.log"),
                "--MGMT_SERVER_IP=127.0.0.1", "--server.port=0", "--management.server.port=0",
                "--ADMIN_PASSWORD=" + adminPassword, "--gpudash.security.bcrypt-cost=" + bcryptCost,
                "--logging.level.root=warn"));
        arguments.addAll(List.of(more));
        return new SpringApplicationBuilder(GpuDashboardApplication.class).run(arguments.toArray(String[]::new));
    }

    /** Logs the bootstrap admin in and answers the session token. */
    static String adminToken(HttpClient http, String baseUrl, String password) throws Exception {
        HttpRequest login = HttpRequest.newBuilder(URI.create(baseUrl + "/api/login"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"gpuadmin\",\"password\":\"" + password + "\"}"))
                .build();
        String body = http.send(login, HttpResponse.BodyHandlers.ofString()).body();
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(body);
        if (!token.find()) {
            throw new IllegalStateException("login failed: " + body);
        }
        return token.group(1);
    }

    /** Prints a line of the report and keeps it for the report's file. */
    static void line(StringBuilder report, String format, Object... values) {
        String text = String.format(Locale.ROOT, format, values);
        System.out.println(text);
        report.append(text).append('\n');
    }

    /** The machine's load, printed beside the numbers so that a busy run shows for what it is. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
