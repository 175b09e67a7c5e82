package com.gpudash.infra.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.gpudash.command.user.Usernames;
import com.gpudash.infra.agents.ServerEndpoints;

/**
 * Reads and checks every variable, collecting all problems instead of stopping at the first, so that
 * start-up can report them together by variable name.
 */
public final class SettingsReader {

    static final Pattern HOST = Pattern.compile(
            "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
                    + "|^\\[?[0-9A-Fa-f:.]+]?$");
    private static final Pattern IMAGE = Pattern.compile("^[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::[0-9]{1,5})?(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$");
    private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
    private static final Pattern MEMORY = Pattern.compile("^([0-9]+)([bkmg]?)$");
    private static final Pattern DURATION = Pattern.compile("^([0-9]{1,9})([smhd])$");
    private static final Pattern DATABASE_NAME = Pattern.compile("^[A-Za-z0-9_]{1,64}$");

    private final Function<String, String> variables;
    private final List<SettingsProblem> problems = new ArrayList<>();

    private SettingsReader(Function<String, String> variables) {
        this.variables = variables;
    }

    /**
     * @param databaseCheck asked, when the database variables are well-formed, whether that server answers
     * @throws InvalidSettingsException listing every problem found, the database's included
     */
    public static Settings read(Function<String, String> variables,
                                Function<Settings.Database, List<SettingsProblem>> databaseCheck) {
        SettingsReader reader = new SettingsReader(variables);
        Settings settings = reader.readAll();
        boolean databaseVariablesValid = reader.problems.stream()
                .noneMatch(problem -> problem.variable().startsWith("DB_"));
        if (databaseVariablesValid) {
            settings.externalDatabase().ifPresent(database -> reader.problems.addAll(databaseCheck.apply(database)));
        }
        if (!reader.problems.isEmpty()) {
            throw new InvalidSettingsException(reader.problems);
        }
        return settings;
    }

    private Settings readAll() {
        String mgmtServerIp = host("MGMT_SERVER_IP", "127.0.0.1");
        int mgmtServerPort = port("MGMT_SERVER_PORT", 8500);
        int metricsPort = port("METRICS_PORT", 8501);
        if (mgmtServerPort == metricsPort && mgmtServerPort > 0) {
            problem("METRICS_PORT", "must differ from MGMT_SERVER_PORT (both are " + metricsPort + ")");
        }
        int agentPort = port("AGENT_PORT", 2375);
        List<String> agents = hostList("AGENTS_LIST");
        String dockerImage = matching("DOCKER_IMAGE", "gpu-dev-env", IMAGE,
                "must be a Docker image name such as 'registry.example.org/lab/gpu-dev-env'");
        String dockerTag = matching("DOCKER_TAG", "latest", TAG, "must be a Docker tag such as 'latest' or 'cuda12.4'");
        double dockerCpu = cpus("DOCKER_CPU", 4.0);
        long dockerMemory = memory("DOCKER_MEM_LMT", "16g");
        String workdirTemplate = absolutePath("WORKDIR_TEMPLATE", "/srv/gpudash/template");
        String workdirDeploy = absolutePath("WORKDIR_DEPLOY", "/srv/gpudash/workspaces");
        if (workdirTemplate != null && workdirTemplate.equals(workdirDeploy)) {
            problem("WORKDIR_DEPLOY", "must differ from WORKDIR_TEMPLATE");
        }
        Path dataDir = dataDir();
        Path nginxConfigFile = nginxConfigFile(dataDir);
        Optional<Settings.Database> database = database();
        Optional<String> adminUsername = optional("ADMIN_USERNAME");
        adminUsername.ifPresent(name -> Usernames.problem(name).ifPresent(problem ->
                problem("ADMIN_USERNAME", problem + " (it becomes a URL path), got '" + name + "'")));
        Optional<String> adminPassword = optional("ADMIN_PASSWORD");
        adminPassword.ifPresent(password -> {
            int bytes = password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes < 8 || bytes > 72) {
                problem("ADMIN_PASSWORD", "must be 8 to 72 bytes in UTF-8, has " + bytes);
            }
        });
        Duration sessionTtl = duration("SESSION_TTL", "12h", Duration.ofMinutes(1), Duration.ofDays(30));
        Optional<Path> sshPrivateKey = readableFile("SSH_PRIVATE_KEY");
        Optional<Path> sshKnownHosts = readableFile("SSH_KNOWN_HOSTS");
        Optional<Path> dockerTlsCertDir = directory("DOCKER_TLS_CERT_DIR");
        boolean dockerAllowPlainTcp = bool("DOCKER_ALLOW_PLAIN_TCP", false);
        Duration telemetryInterval = duration("TELEMETRY_INTERVAL", "15s", Duration.ofSeconds(1), Duration.ofHours(1));
        int telemetryConcurrency = range("TELEMETRY_CONCURRENCY", 32, 1, 512, "a number of parallel polls from 1 to 512");
        Settings.LogFormat logFormat = logFormat();
        Settings settings = new Settings(mgmtServerIp, mgmtServerPort, metricsPort, agentPort, agents, dockerImage,
                dockerTag, dockerCpu, dockerMemory, workdirTemplate, workdirDeploy, nginxConfigFile, dataDir, database,
                adminUsername, adminPassword, sessionTtl, sshPrivateKey, sshKnownHosts, dockerTlsCertDir,
                dockerAllowPlainTcp, telemetryInterval, telemetryConcurrency, logFormat, containers());
        // The servers of AGENTS_LIST are registered at start-up: one the adapter would always refuse is refused now.
        for (String host : agents) {
            if (HOST.matcher(host).matches() && agentPort > 0) {
                ServerEndpoints.refusal(ServerEndpoints.agentsListServer(host, settings), settings)
                        .ifPresent(reason -> problem("AGENTS_LIST", "'" + host + "' is never reached: " + reason));
            }
        }
        return settings;
    }

    private Settings.Containers containers() {
        String workspacePath = absolutePath("CONTAINER_WORKSPACE_PATH", "/workspace");
        if (workspacePath.contains(":") || workspacePath.contains(",")) {
            // Docker reads a bind as host:container:mode, so either would change its meaning.
            problem("CONTAINER_WORKSPACE_PATH", "must not contain ':' or ',', got '" + workspacePath + "'");
        }
        int servicePort = port("CONTAINER_SERVICE_PORT", 8080);
        String publishIp = optional("CONTAINER_PUBLISH_IP").orElse("127.0.0.1");
        if (!publishIp.matches("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$|^[0-9A-Fa-f:]+$")) {
            problem("CONTAINER_PUBLISH_IP", "must be an IP address of the GPU servers (0.0.0.0 for all), got '"
                    + publishIp + "'");
        }
        String testCommand = commandLine("NGINX_TEST_COMMAND", "nginx -t");
        String reloadCommand = commandLine("NGINX_RELOAD_COMMAND", "nginx -s reload");
        Duration provisionTimeout = duration("PROVISION_TIMEOUT", "120s", Duration.ofSeconds(10), Duration.ofHours(1));
        Duration reconcileInterval = duration("RECONCILE_INTERVAL", "60s", Duration.ofSeconds(5), Duration.ofDays(1));
        return new Settings.Containers(workspacePath, servicePort, publishIp, testCommand, reloadCommand,
                provisionTimeout, reconcileInterval);
    }

    /** Checked the way it is run: split into words without a shell, which refuses pipes and the like. */
    private String commandLine(String name, String fallback) {
        String value = optional(name).orElse(fallback);
        try {
            com.gpudash.agent.nginx.NginxSettings.of(Path.of("routes.conf"), value, value);
        } catch (IllegalArgumentException e) {
            problem(name, e.getMessage());
        }
        return value;
    }

    private String raw(String name) {
        String value = variables.apply(name);
        return value == null ? null : value.strip();
    }

    private Optional<String> optional(String name) {
        String value = raw(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private void problem(String variable, String message) {
        problems.add(new SettingsProblem(variable, message));
    }

    private int port(String name, int fallback) {
        String value = optional(name).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, together with out-of-range numbers
        }
        problem(name, "must be a port number from 1 to 65535, got '" + value + "'");
        return -1;
    }

    private int range(String name, int fallback, int min, int max, String expectation) {
        String value = optional(name).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        problem(name, "must be " + expectation + ", got '" + value + "'");
        return fallback;
    }

    private boolean bool(String name, boolean fallback) {
        String value = optional(name).map(v -> v.toLowerCase(Locale.ROOT)).orElse(null);
        if (value == null) {
            return fallback;
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        problem(name, "must be true or false, got '" + value + "'");
        return fallback;
    }

    private Optional<Path> directory(String name) {
        Optional<Path> dir = optional(name).map(value -> path(name, value));
        dir.filter(d -> !Files.isDirectory(d) || !Files.isReadable(d))
                .ifPresent(d -> problem(name, "directory " + d.toAbsolutePath() + " does not exist or is not readable"));
        return dir;
    }

    private String host(String name, String fallback) {
        String value = optional(name).orElse(fallback);
        if (!HOST.matcher(value).matches()) {
            problem(name, "must be an IP address or a host name, got '" + value + "'");
        }
        return value;
    }

    private List<String> hostList(String name) {
        List<String> hosts = optional(name)
                .map(value -> Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
        for (String host : hosts) {
            if (!HOST.matcher(host).matches()) {
                problem(name, "every entry must be an IP address or a host name, got '" + host + "'");
            }
        }
        if (hosts.stream().distinct().count() != hosts.size()) {
            problem(name, "lists a host more than once");
        }
        return hosts;
    }

    private String matching(String name, String fallback, Pattern pattern, String expectation) {
        String value = optional(name).orElse(fallback);
        if (!pattern.matcher(value).matches()) {
            problem(name, expectation + ", got '" + value + "'");
        }
        return value;
    }

    private double cpus(String name, double fallback) {
        String value = optional(name).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            double cpus = Double.parseDouble(value);
            if (cpus > 0 && cpus <= 1024 && !Double.isNaN(cpus)) {
                return cpus;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        problem(name, "must be a number of CPUs greater than 0 (e.g. 4 or 0.5), got '" + value + "'");
        return fallback;
    }

    private long memory(String name, String fallback) {
        String value = optional(name).orElse(fallback);
        long bytes = parseMemory(value);
        if (bytes < 6L * 1024 * 1024) {
            // Docker itself refuses a memory limit below 6 MiB.
            problem(name, "must be a memory size of at least 6m written like 512m, 16g or 1073741824, got '" + value + "'");
        }
        return bytes;
    }

    /** Docker's notation: a number with an optional b, k, m or g suffix (powers of 1024); -1 when unreadable. */
    public static long parseMemory(String value) {
        Matcher matcher = MEMORY.matcher(value.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            return -1;
        }
        try {
            long number = Long.parseLong(matcher.group(1));
            int shift = switch (matcher.group(2)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                default -> 0;
            };
            if (number > (Long.MAX_VALUE >> shift)) {
                return -1;
            }
            return number << shift;
        } catch (NumberFormatException tooLong) {
            return -1;
        }
    }

    /** A number with a unit: {@code 90s}, {@code 30m}, {@code 12h} or {@code 7d}. */
    private Duration duration(String name, String fallback, Duration min, Duration max) {
        String value = optional(name).orElse(fallback);
        Matcher matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            Duration duration = switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            if (duration.compareTo(min) >= 0 && duration.compareTo(max) <= 0) {
                return duration;
            }
        }
        problem(name, "must be a duration from " + written(min) + " to " + written(max)
                + " written like 90s, 30m, 12h or 7d, got '" + value + "'");
        return Duration.parse("PT" + fallback.toUpperCase(Locale.ROOT));
    }

    /** A duration the way this file's variables write them: 90s, 30m, 12h, 7d. */
    private static String written(Duration duration) {
        if (duration.toDaysPart() > 0 && duration.equals(Duration.ofDays(duration.toDays()))) {
            return duration.toDays() + "d";
        }
        if (duration.equals(Duration.ofHours(duration.toHours()))) {
            return duration.toHours() + "h";
        }
        if (duration.equals(Duration.ofMinutes(duration.toMinutes()))) {
            return duration.toMinutes() + "m";
        }
        return duration.toSeconds() + "s";
    }

    private String absolutePath(String name, String fallback) {
        // These directories live on the GPU servers, so they can only be checked for form here.
        String value = optional(name).orElse(fallback);
        if (!value.startsWith("/") || value.contains("/../") || value.endsWith("/..") || value.contains("\0")) {
            problem(name, "must be an absolute path on the GPU servers without '..', got '" + value + "'");
        }
        return value;
    }

    private Path dataDir() {
        Path dir = path("DATA_DIR", "./data");
        if (dir == null) {
            return Path.of("data");
        }
        writableDirectory("DATA_DIR", dir, true);
        return dir;
    }

    private Path nginxConfigFile(Path dataDir) {
        Optional<String> configured = optional("NGINX_CONFIG_FILE");
        Path file = configured.isPresent() ? path("NGINX_CONFIG_FILE", null) : dataDir.resolve("nginx/gpudash-routes.conf");
        if (file == null) {
            return dataDir.resolve("nginx/gpudash-routes.conf");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            problem("NGINX_CONFIG_FILE", "is a directory, it must name a file: " + file);
        } else {
            // The default lives under DATA_DIR and is ours to create; an operator's path must already exist.
            writableDirectory("NGINX_CONFIG_FILE", parent, configured.isEmpty());
        }
        return file;
    }

    private Path path(String name, String fallback) {
        String value = optional(name).orElse(fallback);
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            problem(name, "is not a valid path: " + e.getMessage());
            return null;
        }
    }

    private void writableDirectory(String name, Path dir, boolean create) {
        if (create && !Files.exists(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException | SecurityException e) {
                problem(name, "directory " + dir.toAbsolutePath() + " does not exist and cannot be created: " + e);
                return;
            }
        }
        if (!Files.isDirectory(dir)) {
            problem(name, "directory " + dir.toAbsolutePath() + " does not exist");
        } else if (!Files.isWritable(dir)) {
            problem(name, "directory " + dir.toAbsolutePath() + " is not writable");
        }
    }

    private Optional<Path> readableFile(String name) {
        Optional<Path> file = optional(name).map(value -> path(name, value));
        file.filter(f -> !Files.isRegularFile(f) || !Files.isReadable(f))
                .ifPresent(f -> problem(name, "file " + f.toAbsolutePath() + " does not exist or is not readable"));
        return file;
    }

    private Optional<Settings.Database> database() {
        Optional<String> host = optional("DB_HOST");
        if (host.isEmpty()) {
            return Optional.empty();
        }
        String checkedHost = host("DB_HOST", host.get());
        int port = port("DB_PORT", 3306);
        String user = optional("DB_USER").orElse("root");
        String password = raw("DB_PASSWORD") == null ? "" : variables.apply("DB_PASSWORD");
        String name = matching("DB_NAME", "gpu_dashboard", DATABASE_NAME,
                "must be a database name of letters, digits and underscores (at most 64)");
        return Optional.of(new Settings.Database(checkedHost, port, user, password, name));
    }

    private Settings.LogFormat logFormat() {
        String value = optional("LOG_FORMAT").orElse("text");
        try {
            return Settings.LogFormat.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            problem("LOG_FORMAT", "must be 'text' or 'json', got '" + value + "'");
            return Settings.LogFormat.TEXT;
        }
    }
}
