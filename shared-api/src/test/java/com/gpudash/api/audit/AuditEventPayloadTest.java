package com.gpudash.api.audit;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit events are stored for ever and shown to admins: a login's or a refused command's must hold no secret. */
class AuditEventPayloadTest {

    @Test
    void noAuditEventCarriesAPasswordAHashOrAToken() throws Exception {
        List<Class<?>> events = new ArrayList<>();
        for (Resource classFile : new PathMatchingResourcePatternResolver()
                .getResources("classpath*:com/gpudash/api/audit/*.class")) {
            Class<?> type = Class.forName(AuditMetadata.class.getPackageName() + "."
                    + classFile.getFilename().replace(".class", ""));
            if (type.isRecord() && type != AuditMetadata.class && type != AuditEntryView.class) {
                events.add(type);
            }
        }

        // Guards against a scan that silently finds nothing.
        assertThat(events).contains(LoginFailed.class, LoginSucceeded.class, LoginThrottled.class,
                LoginsThrottled.class, LoggedOut.class, CommandRefused.class, AccessDenied.class);
        for (Class<?> event : events) {
            for (RecordComponent component : event.getRecordComponents()) {
                assertThat(component.getName().toLowerCase(Locale.ROOT))
                        .as("%s.%s", event.getSimpleName(), component.getName())
                        .doesNotContain("password", "hash", "secret", "token");
            }
        }
    }
}
