package com.gpudash.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerRemoved;
import com.gpudash.api.container.ProvisioningFailed;
import com.gpudash.api.container.RemoveContainer;
import com.gpudash.api.container.RequestContainer;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import com.gpudash.testsupport.Eventually;
import com.gpudash.infra.H2ApplicationTest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An approval or a deletion whose container command is refused: the user's change stands, and the operation the
 * answer names is readable at once and FAILED with the refusal, so nothing is left half-done out of sight.
 * <p>
 * An approvable user has never had a container, so the refusal is staged: the user's container is requested
 * (for a server that does not exist, so its provisioning fails) and removed before the user is approved. A REMOVED
 * container refuses a new provisioning and a second removal.
 */
@H2ApplicationTest
class UserContainerRefusalTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    WebTestClient client;
    @Autowired
    CommandGateway commands;
    @Autowired
    EventStore eventStore;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(client);
    }

    @Test
    void aRefusedContainerRequestFailsTheProvisioningAndTheApprovalStands() {
        String username = Api.uniqueName("refused");
        String userId = api.register(username);
        removedContainerOf(UserId.of(userId), username);
        String admin = api.adminToken();

        Map<?, ?> answer = api.post("/api/admin/users/" + userId + "/approve", admin, null)
                .expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();

        assertThat(((Map<?, ?>) answer.get("user")).get("status")).isEqualTo("ACTIVE");
        // At once: the failure is recorded in the approval's own transaction.
        api.get("/api/operations/" + answer.get("operationId"), admin).expectStatus().isOk().expectBody()
                .jsonPath("$.type").isEqualTo("PROVISION_CONTAINER")
                .jsonPath("$.status").isEqualTo("FAILED")
                .jsonPath("$.target.userId").isEqualTo(userId)
                .jsonPath("$.error").value(error -> assertThat((String) error)
                        .startsWith("The container could not be requested: ")
                        .contains("is REMOVED; a new provisioning requires status FAILED"));
        api.get("/api/admin/users/" + userId, admin).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("ACTIVE");
        api.login(username, Api.PASSWORD).expectStatus().isOk();
    }

    @Test
    void aRefusedRemovalFailsTheOperationAndTheDeletionStands() {
        String username = Api.uniqueName("unremovable");
        String userId = api.register(username);
        removedContainerOf(UserId.of(userId), username);
        String admin = api.adminToken();

        String removal = (String) client.delete().uri("/api/users/" + userId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("operationId");

        api.get("/api/operations/" + removal, admin).expectStatus().isOk().expectBody()
                .jsonPath("$.type").isEqualTo("REMOVE_USER")
                .jsonPath("$.status").isEqualTo("FAILED")
                .jsonPath("$.error").value(error -> assertThat((String) error)
                        .startsWith("The container could not be removed: ")
                        .contains("is REMOVED; removal requires status"));
        api.get("/api/admin/users/" + userId, admin).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("DELETED");
    }

    @Test
    void theRemovalOfAUserWithoutAContainerSucceedsAtOnce() {
        String userId = api.register(Api.uniqueName("bare"));
        String admin = api.adminToken();

        String removal = (String) client.delete().uri("/api/users/" + userId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("operationId");

        api.get("/api/operations/" + removal, admin).expectStatus().isOk().expectBody()
                .jsonPath("$.type").isEqualTo("REMOVE_USER")
                .jsonPath("$.status").isEqualTo("SUCCEEDED")
                .jsonPath("$.result.containerRemoved").isEqualTo(false);
    }

    private void removedContainerOf(UserId user, String username) {
        ContainerId container = ContainerId.forUser(user);
        commands.sendAndWait(new RequestContainer(container, user, username, ServerId.random(), 0,
                OperationId.random()));
        awaitEvent(container, ProvisioningFailed.class);
        commands.sendAndWait(new RemoveContainer(container, OperationId.random()));
        awaitEvent(container, ContainerRemoved.class);
    }

    private void awaitEvent(ContainerId container, Class<?> type) {
        Eventually.await(type.getSimpleName() + " of container " + container, WAIT,
                () -> eventStore.readEvents(container.value()).asStream().map(EventMessage::getPayloadType)
                        .filter(type::equals).findFirst());
    }
}
