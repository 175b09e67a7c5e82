package com.gpudash.infra;

import com.gpudash.infra.security.RoutePermissions;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import static com.gpudash.infra.security.RoutePermissions.open;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

/** The contract's route table plus the test-only endpoints of {@link ProbeController}, open to anyone. */
@TestConfiguration(proxyBeanMethods = false)
public class TestRoutes {

    @Bean
    @Primary
    RoutePermissions routePermissionsWithProbes() {
        return RoutePermissions.contract().with(open(GET, "/test/**"), open(POST, "/test/**"), open(DELETE, "/test/**"));
    }
}
