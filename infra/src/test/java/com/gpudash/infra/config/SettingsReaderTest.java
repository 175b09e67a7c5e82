package com.gpudash.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsReaderTest {

    @TempDir
    Path tmp;

    private final Map<String, String> variables = new HashMap<>();

    private Settings read() {
        variables.putIfAbsent("DATA_DIR", tmp.resolve("data").toString());
        return SettingsReader.read(variables::get, database -> List.of());
    }

    private List<SettingsProblem> problems() {
        try {
            read();
            throw new AssertionError("expected the settings to be refused");
        } catch (InvalidSettingsException e) {
            return e.problems();
        }
    }

    @Test
    void defaultsNeedNothingInstalled() {
        Settings settings = read();

        assertThat(settings.mgmtServerIp()).isEqualTo("127.0.0.1");
        assertThat(settings.mgmtServerPort()).isEqualTo(8500);
        assertThat(settings.metricsPort()).isEqualTo(8501);
        assertThat(settings.externalDatabase()).isEmpty();
        assertThat(settings.dockerMemoryBytes()).isEqualTo(16L << 30);
        assertThat(settings.nginxConfigFile()).isEqualTo(tmp.resolve("data/nginx/gpudash-routes.conf"));
        assertThat(tmp.resolve("data/nginx")).isDirectory();
        assertThat(settings.h2DatabaseFile()).isEqualTo(tmp.resolve("data/gpudash"));
    }

    @Test
    void seedVariablesKeepTheirMeaning() {
        variables.putAll(Map.of("MGMT_SERVER_IP", "0.0.0.0", "MGMT_SERVER_PORT", "9000", "AGENT_PORT", "2376",
                "AGENTS_LIST", "10.0.0.5, gpu2.lab.example", "DOCKER_IMAGE", "registry.lab:5000/ml/dev-env",
                "DOCKER_TAG", "cuda12.4", "DOCKER_CPU", "2.5", "DOCKER_MEM_LMT", "512m",
                "WORKDIR_TEMPLATE", "/data/template", "WORKDIR_DEPLOY", "/data/users"));
        variables.put("DOCKER_ALLOW_PLAIN_TCP", "true");

        Settings settings = read();

        assertThat(settings.mgmtServerPort()).isEqualTo(9000);
        assertThat(settings.agentPort()).isEqualTo(2376);
        assertThat(settings.agentsList()).containsExactly("10.0.0.5", "gpu2.lab.example");
        assertThat(settings.dockerImage()).isEqualTo("registry.lab:5000/ml/dev-env");
        assertThat(settings.dockerTag()).isEqualTo("cuda12.4");
        assertThat(settings.dockerCpu()).isEqualTo(2.5);
        assertThat(settings.dockerMemoryBytes()).isEqualTo(512L << 20);
        assertThat(settings.workdirDeploy()).isEqualTo("/data/users");
    }

    @Test
    void everyProblemIsListedByVariableName() {
        variables.putAll(Map.of("MGMT_SERVER_PORT", "notaport", "METRICS_PORT", "70000", "DOCKER_MEM_LMT", "lots",
                "DOCKER_CPU", "-1", "WORKDIR_TEMPLATE", "relative/path", "AGENTS_LIST", "127.0.0.1,bad_host!",
                "LOG_FORMAT", "xml", "DB_HOST", "db.example", "DB_PORT", "0"));

        List<SettingsProblem> problems = problems();

        assertThat(problems).extracting(SettingsProblem::variable).containsExactlyInAnyOrder(
                "MGMT_SERVER_PORT", "METRICS_PORT", "DOCKER_MEM_LMT", "DOCKER_CPU", "WORKDIR_TEMPLATE",
                "AGENTS_LIST", "LOG_FORMAT", "DB_PORT");
        assertThat(problems).filteredOn(p -> p.variable().equals("MGMT_SERVER_PORT"))
                .singleElement().extracting(SettingsProblem::message).asString().contains("'notaport'", "1 to 65535");
    }

    @Test
    void theDatabaseIsAskedOnlyWhenItsVariablesAreWellFormed() {
        variables.put("DATA_DIR", tmp.toString());
        variables.put("DB_HOST", "127.0.0.1");
        List<Settings.Database> asked = new java.util.ArrayList<>();

        assertThatThrownBy(() -> SettingsReader.read(variables::get, database -> {
            asked.add(database);
            return List.of(new SettingsProblem("DB_HOST", "cannot connect"));
        })).isInstanceOfSatisfying(InvalidSettingsException.class,
                e -> assertThat(e.problems()).extracting(SettingsProblem::variable).containsExactly("DB_HOST"));
        assertThat(asked).singleElement().satisfies(database -> {
            assertThat(database.port()).isEqualTo(3306);
            assertThat(database.user()).isEqualTo("root");
            assertThat(database.name()).isEqualTo("gpu_dashboard");
        });

        variables.put("DB_NAME", "bad-name;drop");
        asked.clear();
        assertThatThrownBy(() -> SettingsReader.read(variables::get, database -> {
            asked.add(database);
            return List.of();
        })).isInstanceOf(InvalidSettingsException.class).hasMessageContaining("DB_NAME");
        assertThat(asked).isEmpty();
    }

    @Test
    void remoteAgentsNeedTlsOrAnExplicitOptInForPlainTcp() throws Exception {
        variables.put("AGENTS_LIST", "10.0.0.5");
        assertThat(problems()).singleElement().satisfies(p -> {
            assertThat(p.variable()).isEqualTo("AGENTS_LIST");
            assertThat(p.message()).contains("DOCKER_TLS_CERT_DIR", "DOCKER_ALLOW_PLAIN_TCP");
        });

        variables.put("DOCKER_TLS_CERT_DIR", Files.createDirectory(tmp.resolve("certs")).toString());
        assertThat(read().dockerTlsCertDir()).contains(tmp.resolve("certs"));

        variables.remove("DOCKER_TLS_CERT_DIR");
        variables.put("AGENTS_LIST", "127.0.0.1");
        assertThat(read().agentsList()).containsExactly("127.0.0.1");
    }

    /** The adapter's own rule (DockerEndpoint.refusal): what it would refuse to reach stops the start instead. */
    @Test
    void linkLocalAgentsAreRefusedEvenWhenPlainTcpIsAllowed() throws Exception {
        variables.put("AGENTS_LIST", "169.254.169.254, fe80::1, 10.0.0.5, ::1");
        variables.put("DOCKER_ALLOW_PLAIN_TCP", "true");
        assertThat(problems()).extracting(SettingsProblem::message).satisfiesExactly(
                first -> assertThat(first).contains("'169.254.169.254'", "link-local"),
                second -> assertThat(second).contains("'fe80::1'", "link-local"));

        variables.remove("DOCKER_ALLOW_PLAIN_TCP");
        variables.put("DOCKER_TLS_CERT_DIR", Files.createDirectory(tmp.resolve("certs")).toString());
        assertThat(problems()).extracting(SettingsProblem::message).hasSize(2).allSatisfy(
                message -> assertThat(message).contains("link-local"));

        variables.remove("DOCKER_TLS_CERT_DIR");
        variables.put("AGENTS_LIST", "::1, localhost");
        assertThat(read().agentsList()).containsExactly("::1", "localhost");
    }

    @Test
    void containerSettingsHaveDefaultsAndAreChecked() {
        Settings.Containers defaults = read().containers();
        assertThat(defaults.workspacePath()).isEqualTo("/workspace");
        assertThat(defaults.servicePort()).isEqualTo(8080);
        assertThat(defaults.publishIp()).isEqualTo("127.0.0.1");
        assertThat(defaults.nginxTestCommand()).isEqualTo("nginx -t");
        assertThat(defaults.nginxReloadCommand()).isEqualTo("nginx -s reload");
        assertThat(defaults.provisionTimeout()).hasSeconds(120);
        assertThat(defaults.reconcileInterval()).hasSeconds(60);

        variables.putAll(Map.of("CONTAINER_WORKSPACE_PATH", "/work:rw", "CONTAINER_SERVICE_PORT", "0",
                "CONTAINER_PUBLISH_IP", "gpu1.lab; rm -rf /", "NGINX_RELOAD_COMMAND", "nginx -s reload | tee log",
                "PROVISION_TIMEOUT", "1", "RECONCILE_INTERVAL", "never"));
        assertThat(problems()).extracting(SettingsProblem::variable).containsExactlyInAnyOrder(
                "CONTAINER_WORKSPACE_PATH", "CONTAINER_SERVICE_PORT", "CONTAINER_PUBLISH_IP", "NGINX_RELOAD_COMMAND",
                "PROVISION_TIMEOUT", "RECONCILE_INTERVAL");
    }

    @Test
    void telemetrySettingsHaveRanges() {
        assertThat(read().telemetryInterval()).hasSeconds(15);
        assertThat(read().telemetryConcurrency()).isEqualTo(32);

        variables.put("TELEMETRY_INTERVAL", "0");
        variables.put("TELEMETRY_CONCURRENCY", "many");
        variables.put("DOCKER_ALLOW_PLAIN_TCP", "yes");
        assertThat(problems()).extracting(SettingsProblem::variable)
                .containsExactlyInAnyOrder("TELEMETRY_INTERVAL", "TELEMETRY_CONCURRENCY", "DOCKER_ALLOW_PLAIN_TCP");
    }

    @Test
    void portsMustDiffer() {
        variables.put("MGMT_SERVER_PORT", "8600");
        variables.put("METRICS_PORT", "8600");

        assertThat(problems()).extracting(SettingsProblem::variable).containsExactly("METRICS_PORT");
    }

    @Test
    void anOperatorsNginxDirectoryMustExistAndBeWritable() throws Exception {
        variables.put("NGINX_CONFIG_FILE", tmp.resolve("missing/routes.conf").toString());
        assertThat(problems()).singleElement().satisfies(p -> {
            assertThat(p.variable()).isEqualTo("NGINX_CONFIG_FILE");
            assertThat(p.message()).contains("does not exist");
        });

        Path existing = Files.createDirectory(tmp.resolve("nginx"));
        variables.put("NGINX_CONFIG_FILE", existing.resolve("routes.conf").toString());
        assertThat(read().nginxConfigFile()).isEqualTo(existing.resolve("routes.conf"));
    }

    @Test
    void adminCredentialsAreCheckedWithoutEchoingThePassword() {
        variables.put("ADMIN_USERNAME", "Admin");
        variables.put("ADMIN_PASSWORD", "short");

        List<SettingsProblem> problems = problems();

        assertThat(problems).extracting(SettingsProblem::variable).containsExactlyInAnyOrder("ADMIN_USERNAME", "ADMIN_PASSWORD");
        assertThat(problems).extracting(SettingsProblem::message).noneMatch(m -> m.contains("short"));
    }

    @Test
    void memorySizesReadLikeDocker() {
        assertThat(SettingsReader.parseMemory("4g")).isEqualTo(4L << 30);
        assertThat(SettingsReader.parseMemory("4G")).isEqualTo(4L << 30);
        assertThat(SettingsReader.parseMemory("1536m")).isEqualTo(1536L << 20);
        assertThat(SettingsReader.parseMemory("64k")).isEqualTo(64L << 10);
        assertThat(SettingsReader.parseMemory("1073741824")).isEqualTo(1L << 30);
        assertThat(SettingsReader.parseMemory("1073741824b")).isEqualTo(1L << 30);
        assertThat(SettingsReader.parseMemory("4 g")).isEqualTo(-1);
        assertThat(SettingsReader.parseMemory("4t")).isEqualTo(-1);
        assertThat(SettingsReader.parseMemory("99999999999999999999g")).isEqualTo(-1);
        assertThat(SettingsReader.parseMemory("9999999999g")).isEqualTo(-1);
    }

    @Test
    void settingsNeverPrintThePassword() {
        variables.put("ADMIN_PASSWORD", "correct horse battery");
        variables.put("DB_HOST", "127.0.0.1");
        variables.put("DB_PASSWORD", "db-secret-value");

        Settings settings = read();

        assertThat(settings.toString()).doesNotContain("correct horse", "db-secret-value");
        assertThat(settings.externalDatabase().orElseThrow().toString()).doesNotContain("db-secret-value");
    }

    @Test
    void sessionLifetimeHasADefaultAUnitAndBounds() {
        assertThat(read().sessionTtl()).isEqualTo(java.time.Duration.ofHours(12));

        variables.put("SESSION_TTL", "30m");
        assertThat(read().sessionTtl()).isEqualTo(java.time.Duration.ofMinutes(30));

        for (String bad : new String[] {"12", "twelve hours", "10s", "31d", "-1h"}) {
            variables.put("SESSION_TTL", bad);
            assertThat(problems()).as(bad).extracting(SettingsProblem::variable).containsExactly("SESSION_TTL");
        }
    }

    @Test
    void theAdminUsernameFollowsTheUsernameRulesReservedNamesIncluded() {
        variables.put("ADMIN_USERNAME", "admin");

        assertThat(problems()).singleElement().satisfies(problem -> {
            assertThat(problem.variable()).isEqualTo("ADMIN_USERNAME");
            assertThat(problem.message()).contains("reserved");
        });
    }
}
