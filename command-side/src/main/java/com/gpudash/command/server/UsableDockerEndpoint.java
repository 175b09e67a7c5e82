package com.gpudash.command.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Pattern;

import com.gpudash.command.web.ConstraintMessages;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A Docker endpoint the system would speak to under the current settings ({@link DockerEndpointRule}); the
 * message says why not. Its form is {@code @Pattern}'s to check, so a malformed value is left to that.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = UsableDockerEndpoint.Check.class)
public @interface UsableDockerEndpoint {

    String message() default "is never used under the current settings";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<UsableDockerEndpoint, String> {

        private static final Pattern FORM = Pattern.compile(ServerCommandController.DOCKER_ENDPOINT);

        private final DockerEndpointRule rule;

        Check(DockerEndpointRule rule) {
            this.rule = rule;
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || !FORM.matcher(value).matches()) {
                return true;
            }
            return rule.refusal(value).map(reason -> {
                ConstraintMessages.refuse(context, reason);
                return false;
            }).orElse(true);
        }
    }
}
