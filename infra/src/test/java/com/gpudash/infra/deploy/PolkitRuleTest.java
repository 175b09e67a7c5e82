package com.gpudash.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;

/**
 * deploy/polkit/50-gpu-dashboard.rules lets the backend's user check and reload nginx through systemd and nothing
 * else. polkit runs its rules as JavaScript; here Node runs the file against a stand-in of polkit's API.
 */
@RequiresServices(Service.NODE)
class PolkitRuleTest {

    private static final Path RULE = Path.of("..", "deploy", "polkit", "50-gpu-dashboard.rules");
    private static final String MANAGE_UNITS = "org.freedesktop.systemd1.manage-units";

    /**
     * Loads the rule file as polkit does (a script calling polkit.addRule) and prints the answer to each request,
     * given as {@code action|unit|verb|user}.
     */
    private static final String POLKIT = """
            const rules = [];
            const api = {Result: {YES: 'yes', NO: 'no', AUTH_ADMIN: 'auth_admin', NOT_HANDLED: null},
                         addRule: rule => rules.push(rule)};
            new Function('polkit', require('fs').readFileSync(process.argv[1], 'utf8'))(api);
            for (const request of process.argv.slice(2)) {
                const [id, unit, verb, user] = request.split('|');
                const action = {id, lookup: key => ({unit, verb})[key] || undefined};
                const answers = rules.map(rule => rule(action, {user})).filter(answer => answer != null);
                console.log(answers.length ? answers[0] : 'not handled');
            }
            """;

    private record Request(String action, String unit, String verb, String user) {

        String argument() {
            return String.join("|", action, unit, verb, user);
        }
    }

    private static List<String> answers(List<Request> requests) throws Exception {
        List<String> command = new ArrayList<>(List.of(TestServices.nodeBinary(), "-e", POLKIT,
                RULE.toAbsolutePath().toString()));
        requests.forEach(request -> command.add(request.argument()));
        Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as("node:%n%s", output).isZero();
        return output.lines().toList();
    }

    @Test
    void allowsTheBackendToCheckAndReloadNginxAndNothingElse() throws Exception {
        List<Request> requests = List.of(
                new Request(MANAGE_UNITS, "gpu-dashboard-nginx-test.service", "start", "gpudash"),
                new Request(MANAGE_UNITS, "nginx.service", "reload", "gpudash"),
                new Request(MANAGE_UNITS, "nginx.service", "stop", "gpudash"),
                new Request(MANAGE_UNITS, "nginx.service", "restart", "gpudash"),
                new Request(MANAGE_UNITS, "gpu-dashboard.service", "stop", "gpudash"),
                new Request(MANAGE_UNITS, "ssh.service", "start", "gpudash"),
                new Request(MANAGE_UNITS, "nginx.service", "reload", "www-data"),
                new Request("org.freedesktop.login1.reboot", "", "", "gpudash"));

        assertThat(answers(requests)).containsExactly("yes", "yes",
                "not handled", "not handled", "not handled", "not handled", "not handled", "not handled");
    }
}
