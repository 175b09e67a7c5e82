package com.gpudash.infra.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.HostKeyTrust;
import com.gpudash.agent.SshTarget;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.infra.config.InvalidSettingsException;
import com.gpudash.infra.config.Settings;
import com.gpudash.infra.config.SettingsProblem;
import com.gpudash.infra.config.SettingsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a registered server's ssh:// endpoint, and a host of AGENTS_LIST, become what the adapter is given. */
class ServerEndpointsTest {

    private static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2mZ test@host";

    @TempDir
    Path tmp;

    private final Map<String, String> variables = new HashMap<>();

    @Test
    void anSshEndpointIsTheServersOwnSshLoginTrustingItsRegisteredKeyElseKnownHosts() throws IOException {
        withManagementKey();
        Settings settings = read();

        DockerEndpoint pinned = ServerEndpoints.docker(server("ssh://gpudash@gpu1.lab:2222", 2222, "gpudash", HOST_KEY), settings);
        assertThat(pinned.sshTarget()).isEqualTo(new SshTarget("gpu1.lab", 2222, "gpudash", new HostKeyTrust.Pinned(HOST_KEY)));
        assertThat(ServerEndpoints.docker(server("ssh://gpudash@GPU1.lab", 22, "gpudash", HOST_KEY), settings).sshTarget().port())
                .isEqualTo(22);

        assertThatThrownBy(() -> ServerEndpoints.docker(server("ssh://gpudash@gpu1.lab", 22, "gpudash", null), settings))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SSH_KNOWN_HOSTS");
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), "");
        variables.put("SSH_KNOWN_HOSTS", knownHosts.toString());
        assertThat(ServerEndpoints.docker(server("ssh://gpudash@gpu1.lab", 22, "gpudash", " "), read()).sshHostKeys())
                .isEqualTo(new HostKeyTrust.KnownHosts(knownHosts));
    }

    /** One SSH login per server: an ssh:// endpoint naming another user, host or port is refused, never used. */
    @Test
    void anSshEndpointNamingAnotherLoginThanTheServersIsRefused() throws IOException {
        withManagementKey();
        Settings settings = read();

        for (ServerConnection other : List.of(server("ssh://other@gpu1.lab:22", 22, "gpudash", HOST_KEY),
                server("ssh://gpudash@gpu2.lab:22", 22, "gpudash", HOST_KEY),
                server("ssh://gpudash@gpu1.lab:2222", 22, "gpudash", HOST_KEY))) {
            assertThat(ServerEndpoints.refusal(other, settings)).get().asString()
                    .contains("must name the server's SSH login gpudash@gpu1.lab:22");
        }
        ServerConnection metadataService = new ServerConnection("169.254.169.254", "ssh://gpudash@169.254.169.254", 22,
                "gpudash", HOST_KEY);
        assertThat(ServerEndpoints.refusal(metadataService, settings)).get().asString().contains("link-local");
        assertThat(ServerEndpoints.refusal(server("ssh://gpudash@gpu1.lab", 22, "gpudash", HOST_KEY), settings)).isEmpty();
    }

    @Test
    void anSshEndpointNeedsTheManagementKey() {
        assertThat(ServerEndpoints.refusal(server("ssh://gpudash@gpu1.lab", 22, "gpudash", HOST_KEY), read()))
                .get().asString().contains("SSH_PRIVATE_KEY");
    }

    /** So that a lab needs nothing on a GPU server but sshd and Docker. */
    @Test
    void agentsListHostsAreReachedOverSshWithTheManagementKeyUnlessTlsIsConfigured() throws IOException {
        variables.put("AGENTS_LIST", "10.0.0.5, 2001:db8::7");
        withManagementKey();
        assertThat(problems()).hasSize(2).allSatisfy(problem -> {
            assertThat(problem.variable()).isEqualTo("AGENTS_LIST");
            assertThat(problem.message()).contains("ssh://root@", "SSH_KNOWN_HOSTS");
        });

        variables.put("SSH_KNOWN_HOSTS", Files.writeString(tmp.resolve("known_hosts"), "").toString());
        Settings settings = read();
        assertThat(ServerEndpoints.agentsListServer("10.0.0.5", settings))
                .isEqualTo(new ServerConnection("10.0.0.5", "ssh://root@10.0.0.5:22", 22, "root", null));
        assertThat(ServerEndpoints.agentsListServer("2001:db8::7", settings).dockerEndpoint())
                .isEqualTo("ssh://root@[2001:db8::7]:22");
        assertThat(ServerEndpoints.refusal(ServerEndpoints.agentsListServer("2001:db8::7", settings), settings)).isEmpty();

        variables.put("DOCKER_TLS_CERT_DIR", Files.createDirectory(tmp.resolve("certs")).toString());
        assertThat(ServerEndpoints.agentsListServer("10.0.0.5", read()).dockerEndpoint()).isEqualTo("tcp://10.0.0.5:2375");
        variables.remove("DOCKER_TLS_CERT_DIR");
        variables.remove("SSH_PRIVATE_KEY");
        variables.put("DOCKER_ALLOW_PLAIN_TCP", "true");
        assertThat(ServerEndpoints.agentsListServer("10.0.0.5", read()).dockerEndpoint()).isEqualTo("tcp://10.0.0.5:2375");
    }

    private void withManagementKey() throws IOException {
        variables.put("SSH_PRIVATE_KEY", Files.writeString(tmp.resolve("id_ed25519"), "a key file").toString());
    }

    private static ServerConnection server(String dockerEndpoint, int sshPort, String sshUser, String sshHostKey) {
        return new ServerConnection("gpu1.lab", dockerEndpoint, sshPort, sshUser, sshHostKey);
    }

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
}
