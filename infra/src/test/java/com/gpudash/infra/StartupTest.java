package com.gpudash.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Start-up as an operator meets it: a separate JVM for the refusal, the embedded default for persistence. */
class StartupTest {

    @TempDir
    Path tmp;

    @Test
    void badSettingsStopStartUpWithOneMessageNamingEveryVariable() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                GpuDashboardApplication.class.getName())
                .directory(tmp.toFile())
                .redirectErrorStream(true);
        builder.environment().put("MGMT_SERVER_PORT", "notaport");
        builder.environment().put("DOCKER_MEM_LMT", "lots");
        builder.environment().put("DATA_DIR", tmp.resolve("data").toString());
        builder.environment().remove("DB_HOST");
        Process process = builder.start();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) {
            process.destroyForcibly();
        }

        assertThat(exited).as("the JVM exits by itself").isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(output).contains("MGMT_SERVER_PORT: must be a port number from 1 to 65535, got 'notaport'",
                "DOCKER_MEM_LMT", "APPLICATION FAILED TO START");
        String firstLines = output.lines().filter(line -> !line.isBlank()).limit(8).reduce("", (a, b) -> a + b + "\n");
        assertThat(firstLines).as("no stack trace first").doesNotContain("\tat ", "Exception in thread");
        assertThat(tmp.resolve("data").resolve("gpudash.mv.db")).as("nothing was started").doesNotExist();
    }

    @Test
    void theEmbeddedDatabaseKeepsItsDataAcrossRestarts() {
        String aggregateId = UUID.randomUUID().toString();
        List<String> args = List.of("--server.port=0", "--management.server.port=0",
                "--LOG_FILE=" + tmp.resolve("test.log"), "--DATA_DIR=" + tmp.resolve("data"));

        try (ConfigurableApplicationContext first = start(args)) {
            first.getBean(EventStore.class).publish(
                    new GenericDomainEventMessage<>("Probe", aggregateId, 0, "remember me"));
        }
        assertThat(tmp.resolve("data").resolve("gpudash.mv.db")).exists();
        try (ConfigurableApplicationContext second = start(args)) {
            assertThat(second.getBean(EventStore.class).readEvents(aggregateId).asStream()
                    .map(message -> (Object) message.getPayload()).toList()).containsExactly("remember me");
        }
    }

    private static ConfigurableApplicationContext start(List<String> args) {
        return new SpringApplicationBuilder(GpuDashboardApplication.class).run(args.toArray(String[]::new));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : "")).toString();
    }
}
