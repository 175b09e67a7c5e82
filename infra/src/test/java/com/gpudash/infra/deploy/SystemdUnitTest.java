package com.gpudash.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units of a host install (deploy/systemd, README "Install on a host") as systemd itself judges them,
 * with the hardening the README promises. Maven runs the tests in the module directory, so deploy/ is one level up.
 */
@RequiresServices(Service.SYSTEMD_ANALYZE)
class SystemdUnitTest {

    private static final Path UNITS = Path.of("..", "deploy", "systemd");
    private static final Path SERVICE = UNITS.resolve("gpu-dashboard.service");
    private static final Path NGINX_TEST = UNITS.resolve("gpu-dashboard-nginx-test.service");
    private static final Path ENVIRONMENT = UNITS.resolve("gpu-dashboard.env");
    private static final Path ENV_EXAMPLE = Path.of("..", ".env.example");

    @TempDir
    Path tmp;

    private record Result(int status, String output) {
    }

    private static Result systemdAnalyze(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(TestServices.systemdAnalyzeBinary()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s ends", command).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static Result verify(Path... units) throws Exception {
        List<String> args = new ArrayList<>(List.of("verify", "--man=no"));
        for (Path unit : units) {
            args.add(unit.toAbsolutePath().normalize().toString());
        }
        return systemdAnalyze(args.toArray(String[]::new));
    }

    /** Lines about the project's own units; systemd may also talk about units of the machine they refer to. */
    private static List<String> aboutOurUnits(String output) {
        return output.lines().filter(line -> line.contains("gpu-dashboard")).toList();
    }

    @Test
    void theUnitsPassSystemdAnalyzeVerify() throws Exception {
        Result verdict = verify(SERVICE, NGINX_TEST);

        assertThat(verdict.status()).as("systemd-analyze verify:%n%s", verdict.output()).isZero();
        assertThat(aboutOurUnits(verdict.output())).as("systemd-analyze verify").isEmpty();
    }

    /** Without this, a verify that checked nothing would pass the test above. */
    @Test
    void verifyReportsAMistakeInTheUnit() throws Exception {
        Path broken = tmp.resolve("gpu-dashboard.service");
        Files.writeString(broken, Files.readString(SERVICE).replace("ProtectSystem=strict", "ProtectSystm=strict")
                .replace("/usr/bin/java", "/usr/bin/no-such-java"));

        Result verdict = verify(broken);

        assertThat(verdict.status()).isNotZero();
        assertThat(verdict.output()).contains("ProtectSystm", "/usr/bin/no-such-java");
    }

    @Test
    void theServiceRunsAsItsOwnUserConfinedAndRestartedOnFailure() throws Exception {
        String unit = Files.readString(SERVICE);

        assertThat(unit.lines().map(String::strip).toList()).contains("User=gpudash", "Group=gpudash",
                "EnvironmentFile=/etc/gpu-dashboard/gpu-dashboard.env", "StateDirectory=gpu-dashboard",
                "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                "Restart=on-failure");
        // systemd's own measure of what the service could do if taken over, from 0 (nothing) to 10 (root):
        // the threshold is in tenths.
        Result exposure = systemdAnalyze("security", "--offline=yes", "--threshold=20", "--no-pager",
                SERVICE.toAbsolutePath().normalize().toString());
        assertThat(exposure.status()).as("systemd-analyze security:%n%s", exposure.output()).isZero();
    }

    @Test
    void theExampleEnvironmentFileSetsOnlyVariablesTheApplicationKnows() throws IOException {
        Pattern assignment = Pattern.compile("^#?\\s?([A-Z][A-Z0-9_]*)=");
        Set<String> known = names(ENV_EXAMPLE, assignment);
        Set<String> used = names(ENVIRONMENT, assignment);

        assertThat(used).as("variables of %s", ENVIRONMENT).isNotEmpty();
        assertThat(known).as("variables of %s", ENV_EXAMPLE).containsAll(used);
    }

    private static Set<String> names(Path file, Pattern assignment) throws IOException {
        return Files.readAllLines(file).stream()
                .map(assignment::matcher)
                .filter(Matcher::find)
                .map(matcher -> matcher.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
