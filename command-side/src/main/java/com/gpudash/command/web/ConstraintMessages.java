package com.gpudash.command.web;

import jakarta.validation.ConstraintValidatorContext;

/** How a constraint says in its own words why a value is refused. */
public final class ConstraintMessages {

    private ConstraintMessages() {
    }

    /**
     * Replaces the constraint's default message with {@code message}, taken literally: a message template
     * interprets braces and dollars, and a reason may hold both (a pattern, a URI).
     */
    public static void refuse(ConstraintValidatorContext context, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(message.replace("\\", "\\\\")
                        .replace("{", "\\{").replace("}", "\\}").replace("$", "\\$"))
                .addConstraintViolation();
    }
}
