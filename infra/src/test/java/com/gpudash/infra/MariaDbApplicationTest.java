package com.gpudash.infra;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices.Service;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole application on the real MariaDB of the test services, in a database of its own that start-up
 * creates (TEST_DB_NAME, so that builds of different branches on one MariaDB do not meet each other's
 * migrations). Every class that uses it shares one Spring context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@RequiresServices(Service.MARIADB)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"DB_HOST=${TEST_DB_HOST:127.0.0.1}", "DB_PORT=${TEST_DB_PORT:3306}",
                "DB_USER=${TEST_DB_USER:root}", "DB_PASSWORD=${TEST_DB_PASSWORD:}",
                "DB_NAME=${TEST_DB_NAME:gpudash_test}",
                "DATA_DIR=target/test-data/mariadb", "management.server.port=0",
                "LOG_FILE=target/test-data/mariadb.log",
                "ADMIN_PASSWORD=" + TestAdmin.PASSWORD, "gpudash.security.bcrypt-cost=4",
                // Every test of the context logs in from 127.0.0.1: a wait of a minute holds against a slow machine,
                // and the per-address allowance covers the wrong passwords of the whole suite (LoginThrottleEndpointsTest).
                "gpudash.login.backoff-initial=1m", "gpudash.login.address-max-failures=100",
                // Every registration of the suite comes from 127.0.0.1 too (RegistrationThrottleEndpointsTest).
                "gpudash.registration.address-max=200"})
@AutoConfigureObservability
@Import({ProbeController.class, TestRoutes.class})
public @interface MariaDbApplicationTest {
}
