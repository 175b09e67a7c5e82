package com.gpudash.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Marks a test class that talks to real services. Before anything else of the class runs (a Spring context
 * included), each one is checked; a missing one fails the class with its name and how to start it, never a skip.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresServices.Check.class)
public @interface RequiresServices {

    TestServices.Service[] value();

    class Check implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            // Found through meta-annotations too, such as the infra module's @MariaDbApplicationTest.
            AnnotationSupport.findAnnotation(context.getRequiredTestClass(), RequiresServices.class)
                    .ifPresent(required -> {
                        for (TestServices.Service service : required.value()) {
                            TestServices.require(service);
                        }
                    });
        }
    }
}
