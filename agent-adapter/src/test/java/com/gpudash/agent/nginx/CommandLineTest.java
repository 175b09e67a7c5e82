package com.gpudash.agent.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void splitsWordsLikeAShell() {
        assertThat(CommandLine.split("nginx -p /srv/nginx -c nginx.conf -t"))
                .containsExactly("nginx", "-p", "/srv/nginx", "-c", "nginx.conf", "-t");
        assertThat(CommandLine.split("  sudo  -n\tnginx -s reload "))
                .containsExactly("sudo", "-n", "nginx", "-s", "reload");
        assertThat(CommandLine.split("nginx -p '/srv/my nginx' -c \"conf dir/nginx.conf\" -g 'daemon off;'"))
                .containsExactly("nginx", "-p", "/srv/my nginx", "-c", "conf dir/nginx.conf", "-g", "daemon off;");
        assertThat(CommandLine.split("a\\ b \"say \\\"hi\\\" \\n\" it''s ''"))
                .containsExactly("a b", "say \"hi\" \\n", "its", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx -t && nginx -s reload", "nginx -t; reboot", "nginx -t | tee log", "nginx -t > out",
            "nginx -c $HOME/nginx.conf", "nginx -c \"$HOME\"", "nginx `id`", "nginx $(id)", "nginx 'unterminated",
            "nginx \"unterminated", "nginx \\", "", "   "})
    void refusesWhatOnlyAShellWouldDo(String line) {
        assertThatThrownBy(() -> CommandLine.split(line)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsSplitTheConfiguredCommandLines() {
        NginxSettings settings = NginxSettings.of(java.nio.file.Path.of("/etc/nginx/gpudash/routes.conf"), "nginx -t",
                "nginx -s reload");
        assertThat(settings.testCommand()).isEqualTo(List.of("nginx", "-t"));
        assertThat(settings.reloadCommand()).isEqualTo(List.of("nginx", "-s", "reload"));
    }
}
