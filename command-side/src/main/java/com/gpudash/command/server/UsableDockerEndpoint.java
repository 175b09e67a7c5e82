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
 * A server whose Docker endpoint the system would speak to under the current settings ({@link DockerEndpointRule}),
 * reported on {@code dockerEndpoint} with the reason. A whole request is judged, since an ssh:// endpoint depends on
 * the server's SSH fields; the endpoint's form is {@code @Pattern}'s to check, so a malformed value is left to that.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = UsableDockerEndpoint.Check.class)
public @interface UsableDockerEndpoint {

    String message() default "is never used under the current settings";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<UsableDockerEndpoint, ServerCommandController.AddServerRequest> {

        private static final Pattern FORM = Pattern.compile(ServerCommandController.DOCKER_ENDPOINT);

        private final DockerEndpointRule rule;

        Check(DockerEndpointRule rule) {
            this.rule = rule;
        }

        @Override
        public boolean isValid(ServerCommandController.AddServerRequest request, ConstraintValidatorContext context) {
            if (request == null || request.dockerEndpoint() == null || !FORM.matcher(request.dockerEndpoint()).matches()) {
                return true;
            }
            return rule.refusal(request.connection()).map(reason -> {
                ConstraintMessages.refuse(context, "dockerEndpoint", reason);
                return false;
            }).orElse(true);
        }
    }
}
