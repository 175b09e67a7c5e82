package com.gpudash.command.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    @Test
    void longUncommonPasswordsPass() {
        assertThat(PasswordPolicy.problem("correct horse battery")).isEmpty();
        assertThat(PasswordPolicy.problem("é".repeat(35) + "ab")).isEmpty();
        assertThat(PasswordPolicy.problem("correct horse battery", "alice")).isEmpty();
    }

    @Test
    void lengthIsCountedInUtf8Bytes() {
        assertThat(PasswordPolicy.problem("Tr0ub4d")).get().asString().contains("8 to 72 bytes");
        assertThat(PasswordPolicy.problem("é".repeat(36) + "a")).get().asString().contains("8 to 72 bytes");
    }

    @Test
    void listedPasswordsAreRefusedInAnyCase() {
        for (String common : new String[] {"password", "PASSWORD", "Password1", "qwertyuiop", "iloveyou", "P@ssw0rd"}) {
            assertThat(PasswordPolicy.problem(common)).as(common).get().asString().contains("too common");
        }
    }

    @Test
    void repeatedCharactersAndRunsAreRefusedAtAnyLength() {
        for (String pattern : new String[] {"12345678", "1234567890123", "98765432", "abcdefghij", "ZYXWVUTS",
                "aaaaaaaa", "0000000000", "éééééééé"}) {
            assertThat(PasswordPolicy.problem(pattern)).as(pattern).get().asString().contains("too common");
        }
        assertThat(PasswordPolicy.problem("12345679")).as("not quite a run").isEmpty();
    }

    @Test
    void whitespaceOnlyIsRefused() {
        assertThat(PasswordPolicy.problem("        ")).get().asString().contains("whitespace");
        assertThat(PasswordPolicy.problem(" \t \u3000  \n ")).get().asString().contains("whitespace");
    }

    @Test
    void theUsernameMayNotBeInsideInAnyCase() {
        assertThat(PasswordPolicy.problem("my-ALICE-2026", "alice")).get().asString().contains("username");
        assertThat(PasswordPolicy.problem("zz-alice", "alice")).get().asString().contains("username");
        assertThat(PasswordPolicy.problem("bob's long secret", "bo")).as("too short a name to tell").isEmpty();
    }

    @Test
    void theReasonNeverRepeatsThePassword() {
        for (String refused : new String[] {"letmein!", "hunter12", "sam-secret-2026"}) {
            assertThat(PasswordPolicy.problem(refused, "sam-secret")).as(refused).get().asString()
                    .doesNotContain(refused);
        }
    }

    @Test
    void theConstraintSaysThePolicysReason() {
        try (var factory = jakarta.validation.Validation.buildDefaultValidatorFactory()) {
            record Body(@Password String password) {
            }
            var violations = factory.getValidator().validate(new Body("123456789"));
            assertThat(violations).singleElement().extracting(v -> v.getMessage()).asString().contains("too common");
            assertThat(factory.getValidator().validate(new Body("correct horse battery"))).isEmpty();
        }
    }
}
