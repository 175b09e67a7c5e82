package com.gpudash.agent.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class PosixQuotingTest {

    @Test
    void singleQuotesEveryWordAndSpellsASingleQuoteAsCloseEscapeReopen() {
        assertThat(PosixQuoting.commandLine(List.of("df", "-P", "/srv/my dir"))).isEqualTo("'df' '-P' '/srv/my dir'");
        assertThat(PosixQuoting.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(PosixQuoting.quote("")).isEqualTo("''");
        assertThat(PosixQuoting.quote("$(id)`id`;\n")).isEqualTo("'$(id)`id`;\n'");
    }

    @Test
    void refusesWhatNoShellWordCanHold() {
        assertThatThrownBy(() -> PosixQuoting.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PosixQuoting.commandLine(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
