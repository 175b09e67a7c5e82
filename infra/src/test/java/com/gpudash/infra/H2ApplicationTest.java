package com.gpudash.infra;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole application on the embedded H2 default, on random ports. Every class that uses it shares one
 * Spring context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"DATA_DIR=target/test-data/h2", "management.server.port=0", "LOG_FILE=target/test-data/h2.log",
                "ADMIN_PASSWORD=" + TestAdmin.PASSWORD, "gpudash.security.bcrypt-cost=4",
                // Event streams beat and check their session often enough for a test to watch (EventStreamTest).
                "gpudash.events.heartbeat=300ms", "gpudash.events.session-check=3s",
                // Every test of the context logs in from 127.0.0.1: a wait of a minute holds against a slow machine,
                // and the per-address allowance covers the wrong passwords of the whole suite (LoginThrottleEndpointsTest).
                "gpudash.login.backoff-initial=1m", "gpudash.login.address-max-failures=100",
                // Every registration of the suite comes from 127.0.0.1 too (RegistrationThrottleEndpointsTest).
                "gpudash.registration.address-max=200",
                // AnonymousRefusalsTest sends 20,000 refused calls, which a throttled source's delayed 429s would stretch
                // to minutes; the delay itself is ThrottledAnswerDelayTest's.
                "gpudash.audit.anonymous-throttled-delay=0s",
                // Short enough for HttpServerTimeoutsTest to watch a connection being closed.
                "gpudash.http.header-timeout=2s", "gpudash.http.body-timeout=3s"})
@AutoConfigureObservability // Boot tests switch metrics export off without it, and /actuator/prometheus is 404
@Import({ProbeController.class, TestRoutes.class})
public @interface H2ApplicationTest {
}
