package com.gpudash.api.user;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.api.operation.OperationId;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserIdTest {

    private static final String ID = "3f2b8c1e-9a4d-4e6f-8b7a-0c1d2e3f4a5b";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void isWrittenAsAPlainString() throws Exception {
        assertThat(json.writeValueAsString(new UserId(ID))).isEqualTo("\"" + ID + "\"");
    }

    @Test
    void isReadFromAPlainString() throws Exception {
        assertThat(json.readValue("\"" + ID + "\"", UserId.class)).isEqualTo(new UserId(ID));
    }

    @Test
    void travelsAsAPlainStringInsideAMessage() throws Exception {
        var event = new UserApproved(new UserId(ID), UserId.random(), "ada", OperationId.random(), null, 1);

        String written = json.writeValueAsString(event);

        assertThat(written).contains("\"userId\":\"" + ID + "\"");
        assertThat(json.readValue(written, UserApproved.class)).isEqualTo(event);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "admin", "1-2-3-4-5", "3f2b8c1e9a4d4e6f8b7a0c1d2e3f4a5b",
            "3f2b8c1e-9a4d-4e6f-8b7a-0c1d2e3f4a5b ", "3f2b8c1e-9a4d-4e6f-8b7a-0c1d2e3f4a5g"})
    void refusesAnythingButACanonicalUuid(String value) {
        assertThatThrownBy(() -> UserId.of(value)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> json.readValue("\"" + value + "\"", UserId.class))
                .isInstanceOf(ValueInstantiationException.class);
    }

    @Test
    void namesTheSameUserWhateverTheCase() {
        assertThat(UserId.of(ID.toUpperCase())).isEqualTo(UserId.of(ID));
    }

    @Test
    void printsAsItsValue() {
        assertThat(UserId.of(ID)).hasToString(ID);
    }

    @Test
    void randomIdsDiffer() {
        assertThat(UserId.random()).isNotEqualTo(UserId.random());
    }

    @Test
    void anIdFromAUrlIsParsedOrAbsent() {
        assertThat(UserId.parse(ID.toUpperCase())).contains(new UserId(ID));
        assertThat(UserId.parse("not-a-uuid")).isEmpty();
        assertThat(UserId.parse("1-2-3-4-5")).isEmpty();
        assertThat(UserId.parse(null)).isEmpty();
    }
}
