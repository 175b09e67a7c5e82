package com.gpudash.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Events are stored for ever and shown in a user's history: no password and no hash may ever reach one. */
class EventPayloadTest {

    @Test
    void noEventCarriesAPasswordOrAHash() throws Exception {
        List<Class<?>> events = events();

        // Guards against a scan that silently finds nothing.
        assertThat(events).contains(UserRegistered.class, UserCreated.class, PasswordReset.class,
                PasswordChanged.class, UserProfileUpdated.class);
        assertThat(events).doesNotContain(RegisterUser.class, ChangePassword.class);

        for (Class<?> event : events) {
            for (RecordComponent component : event.getRecordComponents()) {
                String name = component.getName().toLowerCase(Locale.ROOT);
                assertThat(component.getType())
                        .as("%s.%s", event.getSimpleName(), component.getName())
                        .isNotEqualTo(PasswordHash.class);
                assertThat(name)
                        .as("%s.%s", event.getSimpleName(), component.getName())
                        .doesNotContain("password", "hash", "secret");
            }
        }
    }

    /** Every record of this package except commands (which name their target) and the value types. */
    private static List<Class<?>> events() throws Exception {
        Resource[] classFiles = new PathMatchingResourcePatternResolver()
                .getResources("classpath*:com/gpudash/api/user/*.class");
        List<Class<?>> events = new ArrayList<>();
        for (Resource classFile : classFiles) {
            String simpleName = classFile.getFilename().replace(".class", "");
            Class<?> type = Class.forName(UserId.class.getPackageName() + "." + simpleName);
            boolean command = type.isRecord() && Arrays.stream(type.getRecordComponents())
                    .anyMatch(c -> c.getAccessor().isAnnotationPresent(TargetAggregateIdentifier.class));
            boolean valueType = type == UserId.class || type == PasswordHash.class;
            if (type.isRecord() && !command && !valueType) {
                events.add(type);
            }
        }
        return events;
    }
}
