package com.gpudash.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Marks a test class (or one test) that talks to real services. Before anything else of it runs (a Spring
 * context included), each one is checked; a missing one fails the class with its name and how to start it, never a skip.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresServices.Check.class)
public @interface RequiresServices {

    TestServices.Service[] value();

    class Check implements BeforeAllCallback, BeforeEachCallback {

        @Override
        public void beforeAll(ExtensionContext context) {
            // Found through meta-annotations too, such as the infra module's @MariaDbApplicationTest.
            require(AnnotationSupport.findAnnotation(context.getRequiredTestClass(), RequiresServices.class));
        }

        /** On a method: checked before that test alone. */
        @Override
        public void beforeEach(ExtensionContext context) {
            require(AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), RequiresServices.class));
        }

        private static void require(java.util.Optional<RequiresServices> required) {
            required.ifPresent(services -> {
                for (TestServices.Service service : services.value()) {
                    TestServices.require(service);
                }
            });
        }
    }
}
