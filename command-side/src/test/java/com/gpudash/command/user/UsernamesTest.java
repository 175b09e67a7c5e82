package com.gpudash.command.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsernamesTest {

    @Test
    void shapedNamesPassAndTheRestSayWhy() {
        assertThat(Usernames.problem("alice")).isEmpty();
        assertThat(Usernames.problem("a_b-9")).isEmpty();
        assertThat(Usernames.problem("a" + "b".repeat(31))).isEmpty();

        assertThat(Usernames.problem("ab")).get().asString().contains("must match");
        assertThat(Usernames.problem("a" + "b".repeat(32))).isPresent();
        assertThat(Usernames.problem("Alice")).isPresent();
        assertThat(Usernames.problem("9lives")).isPresent();
        assertThat(Usernames.problem("al ice")).isPresent();
        assertThat(Usernames.problem("../etc")).isPresent();
        assertThat(Usernames.problem(null)).isPresent();
    }

    @Test
    void namesThatAreUrlPathsOfTheDashboardAreReserved() {
        for (String reserved : new String[] {"admin", "api", "health", "actuator", "static"}) {
            assertThat(Usernames.problem(reserved)).get().asString().contains("reserved");
        }
    }
}
