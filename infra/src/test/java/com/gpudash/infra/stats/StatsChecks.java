package com.gpudash.infra.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.server.GpuDevice;
import com.gpudash.api.server.RecordGpuInventory;
import com.gpudash.api.server.ReserveServerCapacity;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.api.server.RecordServerStatus;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.UserStatus;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code GET /api/admin/stats} follows the read models: each change below moves exactly the figures it should. It
 * runs on H2 and on MariaDB, whose drivers answer COUNT and SUM in different types. Other test classes share the
 * database, so every check compares with the figures read just before the change.
 */
abstract class StatsChecks {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    CommandGateway commands;
    @Autowired
    WebTestClient anonymous;

    private WebTestClient admin;
    private String serverId;

    @BeforeEach
    void signIn() {
        admin = TestAdmin.signedIn(anonymous);
    }

    @AfterEach
    void removeTheServer() {
        if (serverId != null) {
            admin.delete().uri("/api/admin/servers/{id}?force=true", serverId).exchange();
        }
    }

    @Test
    void everyEnumValueIsPresentZerosIncluded() {
        DocumentContext stats = stats();
        for (UserStatus status : UserStatus.values()) {
            assertThat(stats.<Number>read("$.users.byStatus." + status)).as(status.name()).isNotNull();
        }
        for (Role role : Role.values()) {
            assertThat(stats.<Number>read("$.users.byRole." + role)).as(role.name()).isNotNull();
        }
        for (ContainerStatus status : ContainerStatus.values()) {
            assertThat(stats.<Number>read("$.containers.byStatus." + status)).as(status.name()).isNotNull();
        }
        for (ServerStatus status : ServerStatus.values()) {
            assertThat(stats.<Number>read("$.servers.byStatus." + status)).as(status.name()).isNotNull();
        }
        long byStatus = stats.<Map<String, Number>>read("$.users.byStatus").values().stream().mapToLong(Number::longValue).sum();
        long byRole = stats.<Map<String, Number>>read("$.users.byRole").values().stream().mapToLong(Number::longValue).sum();
        assertThat(byStatus).isEqualTo(number(stats, "$.users.total")).isEqualTo(byRole).isPositive();
        assertThat(number(stats, "$.gpus.total")).isGreaterThanOrEqualTo(number(stats, "$.gpus.assigned"));
    }

    @Test
    void theFiguresMoveAsUsersServersGpusAndContainersDo() {
        String run = UUID.randomUUID().toString().substring(0, 8);

        DocumentContext before = stats();
        String username = "cleanupst" + run;
        String registered = anonymous.post().uri("/api/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", "stats-password-1", "email", username + "@example.org"))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        String userId = JsonPath.read(registered, "$.user.id");
        DocumentContext afterRegistration = awaitStats(now -> number(now, "$.users.total") == number(before, "$.users.total") + 1);
        assertThat(delta(before, afterRegistration, "$.users.byStatus.PENDING")).isEqualTo(1);
        assertThat(delta(before, afterRegistration, "$.users.byRole.REGULAR")).isEqualTo(1);

        String added = admin.post().uri("/api/admin/servers").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "cleanup-stats-" + run, "host", "192.0.2.1", "dockerEndpoint", "unix:///nonexistent/" + run))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        serverId = JsonPath.read(added, "$.id");
        ServerId server = ServerId.of(serverId);
        DocumentContext afterServer = awaitStats(now -> number(now, "$.servers.total") == number(afterRegistration, "$.servers.total") + 1);
        assertThat(delta(afterRegistration, afterServer, "$.servers.byStatus.UNKNOWN")).isEqualTo(1);
        assertThat(delta(afterRegistration, afterServer, "$.servers.online")).isZero();

        commands.sendAndWait(new RecordGpuInventory(server, List.of(
                new GpuDevice("GPU-" + run + "-0", 0, "NVIDIA H100", 80L << 30),
                new GpuDevice("GPU-" + run + "-1", 1, "NVIDIA H100", 80L << 30))));
        DocumentContext afterGpus = awaitStats(now -> number(now, "$.gpus.total") == number(afterServer, "$.gpus.total") + 2);
        assertThat(delta(afterServer, afterGpus, "$.gpus.assigned")).isZero();

        commands.sendAndWait(new ReserveServerCapacity(server, ContainerId.of(UUID.randomUUID().toString()), 1));
        awaitStats(now -> number(now, "$.gpus.assigned") == number(afterGpus, "$.gpus.assigned") + 1);

        // Offline: the engine this server names does not exist, so the telemetry poller agrees with this status.
        commands.sendAndWait(new RecordServerStatus(server, ServerStatus.OFFLINE, "cleanup stats test"));
        DocumentContext offline = awaitStats(now -> delta(afterServer, now, "$.servers.byStatus.OFFLINE") == 1);
        assertThat(number(offline, "$.servers.total")).isEqualTo(number(afterServer, "$.servers.total"));

        DocumentContext beforeApproval = stats();
        admin.post().uri("/api/admin/users/{id}/approve", userId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of()).exchange().expectStatus().isAccepted();
        DocumentContext afterApproval = awaitStats(now -> containers(now) == containers(beforeApproval) + 1);
        assertThat(delta(beforeApproval, afterApproval, "$.users.byStatus.PENDING")).isEqualTo(-1);
        assertThat(delta(beforeApproval, afterApproval, "$.users.byStatus.ACTIVE")).isEqualTo(1);
        assertThat(delta(beforeApproval, afterApproval, "$.users.total")).isZero();
    }

    private DocumentContext stats() {
        String body = admin.get().uri("/api/admin/stats").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return JsonPath.parse(body);
    }

    private DocumentContext awaitStats(Predicate<DocumentContext> reached) {
        AtomicReference<DocumentContext> last = new AtomicReference<>();
        return Eventually.await(() -> "the figures to move as expected: " + last.get().jsonString(), WAIT, () -> {
            last.set(stats());
            return Optional.of(last.get()).filter(reached);
        });
    }

    private static long containers(DocumentContext stats) {
        return stats.<Map<String, Number>>read("$.containers.byStatus").values().stream().mapToLong(Number::longValue).sum();
    }

    private static long delta(DocumentContext before, DocumentContext after, String path) {
        return number(after, path) - number(before, path);
    }

    private static long number(DocumentContext stats, String path) {
        return stats.<Number>read(path).longValue();
    }
}
