package com.gpudash.api.container;

import com.gpudash.api.operation.OperationId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.api.user.UserId;
import org.junit.jupiter.api.Test;

class ContainerIdTest {

    private static final UserId USER = UserId.of("3f2b8c1e-9a4d-4e6f-8b7a-0c1d2e3f4a5b");

    private final ObjectMapper json = new ObjectMapper();

    /** The rule that makes a second provisioning for one user meet the first in the same aggregate. */
    @Test
    void aUserAlwaysHasTheSameContainerId() {
        assertThat(ContainerId.forUser(UserId.of(USER.value().toUpperCase()))).isEqualTo(ContainerId.forUser(USER));
        assertThat(ContainerId.forUser(UserId.random())).isNotEqualTo(ContainerId.forUser(USER));
    }

    /** Name-based, and not the user's own id, so that neither id can be taken for the other. */
    @Test
    void isANameBasedUuidOtherThanTheUsersId() {
        ContainerId id = ContainerId.forUser(USER);
        assertThat(id.value()).isNotEqualTo(USER.value());
        assertThat(UUID.fromString(id.value()).version()).isEqualTo(3);
    }

    @Test
    void idsTravelAsPlainStrings() throws Exception {
        ContainerId container = ContainerId.forUser(USER);
        OperationId operation = OperationId.random();
        var event = new ContainerProvisioned(container, operation);

        String written = json.writeValueAsString(event);

        assertThat(written).isEqualTo("{\"containerId\":\"" + container + "\",\"operationId\":\"" + operation + "\"}");
        assertThat(json.readValue(written, ContainerProvisioned.class)).isEqualTo(event);
    }

    @Test
    void refusesAnythingButACanonicalUuid() {
        assertThatThrownBy(() -> ContainerId.of("gpudash-ada")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OperationId.of("1-2-3-4-5")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesComeFromTheUsernameAlone() {
        assertThat(ContainerNames.dockerContainerName("ada")).isEqualTo("gpudash-ada");
        assertThat(ContainerNames.routePath("ada")).isEqualTo("/ada/");
    }
}
